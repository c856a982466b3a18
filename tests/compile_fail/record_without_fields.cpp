// expect: this type has no field description
#include "snippet_app.hpp"
struct Undescribed {
  int x = 0;
};
#ifndef GUST_COMPILE_FAIL
GUST_RECORD(Undescribed, x);
#endif
int main() {
  return gust::to_json(Undescribed{}).empty() ? 1 : 0;
}
