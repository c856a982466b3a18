// The faults test's app: a queue whose consumer does what each message says
// (finish, finish slowly, fail, or crash the process), recording every
// finished job in a table, so a test can tell processed messages from lost ones.
#include <gust/gust.hpp>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

struct Job {
  std::string id;
  std::string mode;  // "ok", "slow", "fail", "crash"
};
GUST_RECORD(Job, id, mode);

struct Finished {
  std::string id;
};
GUST_RECORD(Finished, id);

int main(int argc, char** argv) {
  gust::App app{"faults"};
  auto jobs = app.queue<Job>("jobs").max_receives(3);
  auto finished = app.table<Finished>("finished", &Finished::id);

  app.consume(jobs, gust::writes(finished), [](const Job& job, gust::TableWriter<Finished> finished) {
       gust::log::info("job {} {}", job.id, job.mode);
       if (job.mode == "crash") std::abort();  // the whole batch fails, as a crashed Lambda's would
       if (job.mode == "fail") throw std::runtime_error("job " + job.id + " failed");  // this message alone fails
       if (job.mode == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
       finished.put({job.id}).value();
     })
      .batch_size(5)
      .timeout(std::chrono::seconds(5));

  return app.run(argc, argv);
}
