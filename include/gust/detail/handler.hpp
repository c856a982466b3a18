#pragma once
// Compile-time checks of handler signatures and their type erasure. A
// handler is `(Event, Capability...)`: the trigger's event first, then one
// capability per grant, in grant order. Anything else stops the build with a
// static_assert that says what to write instead.

#include <gust/events.hpp>
#include <gust/grants.hpp>
#include <gust/request.hpp>
#include <gust/response.hpp>

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace gust::detail {

using Bindings = std::vector<ResourceBinding>;

// Erased handlers, one shape per trigger family. Message handlers receive the
// raw body and decode it themselves so decoding errors name the field.
using HttpHandler = std::function<Response(const Request&, const Bindings&)>;
using MessageHandler = std::function<void(std::string_view body, const Bindings&)>;
using ScheduleHandler = std::function<void(const ScheduleEvent&, const Bindings&)>;
using ObjectHandler = std::function<void(const ObjectCreated&, const Bindings&)>;

// ---- callable traits (known only for non-generic callables)
template <class... A>
struct TypeList {
  static constexpr std::size_t size = sizeof...(A);
};

template <class F, class = void>
struct CallableTraits {
  static constexpr bool known = false;
};
template <class R, class... A>
struct CallableTraits<R (*)(A...), void> {
  static constexpr bool known = true;
  using result = R;
  using args = TypeList<A...>;
};
template <class R, class... A>
struct CallableTraits<R (*)(A...) noexcept, void> : CallableTraits<R (*)(A...)> {};
template <class R, class... A>
struct CallableTraits<R(A...), void> : CallableTraits<R (*)(A...)> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const, void> : CallableTraits<R (*)(A...)> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const noexcept, void> : CallableTraits<R (*)(A...)> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...), void> : CallableTraits<R (*)(A...)> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) noexcept, void> : CallableTraits<R (*)(A...)> {};
template <class F>
struct CallableTraits<F, std::void_t<decltype(&F::operator())>> : CallableTraits<decltype(&F::operator())> {};

template <std::size_t I, class List>
struct ArgAt;
template <std::size_t I, class A0, class... A>
struct ArgAt<I, TypeList<A0, A...>> : ArgAt<I - 1, TypeList<A...>> {};
template <class A0, class... A>
struct ArgAt<0, TypeList<A0, A...>> {
  using type = A0;
};

// A parameter accepts a value of type Cap when it is Cap, const Cap or const Cap&.
template <class Param, class Cap>
inline constexpr bool accepts_capability =
    std::is_same_v<std::remove_cvref_t<Param>, Cap> &&
    (!std::is_reference_v<Param> || std::is_const_v<std::remove_reference_t<Param>>);

// Instantiated per handler parameter so that a failure names the position
// and both types in the compiler's "required from" notes.
template <std::size_t Position, class Expected, class Actual>
struct HandlerParameterMustMatchGrant {
  static_assert(accepts_capability<Actual, Expected>,
                "gust: a handler parameter does not match its grant. After the event, take one capability per "
                "grant in grant order: reads(table) -> gust::TableReader<T>, writes(table) -> gust::TableWriter<T>, "
                "reads_writes(table) -> gust::TableReadWriter<T>, reads(index) -> gust::IndexReader<T>, "
                "reads(bucket) -> gust::BucketReader, writes(bucket) -> gust::BucketWriter, sends(queue) -> "
                "gust::QueueSender<T>, receives(queue) -> gust::QueueReceiver<T>, publishes(topic) -> "
                "gust::TopicPublisher<T>.");
  static constexpr bool value = true;
};

enum class HandlerKind { http, queue, topic, schedule, object };

template <HandlerKind K, class Event, class F, class... Caps>
constexpr bool check_handler() {
  using Traits = CallableTraits<std::remove_cvref_t<F>>;
  if constexpr (Traits::known) {
    using Args = typename Traits::args;
    if constexpr (Args::size == 0) {
      static_assert(Args::size != 0,
                    "gust: a handler takes the trigger's event first: (const gust::Request&) for routes, "
                    "(const T&) for queues and topics of T, (const gust::ScheduleEvent&) for schedules, "
                    "(const gust::ObjectCreated&) for object notifications.");
      return false;
    } else {
      using First = typename ArgAt<0, Args>::type;
      if constexpr (K == HandlerKind::http) {
        static_assert(std::is_same_v<std::remove_cvref_t<First>, Request>,
                      "gust: a route handler's first parameter must be `const gust::Request&`.");
      } else if constexpr (K == HandlerKind::queue) {
        static_assert(std::is_same_v<std::remove_cvref_t<First>, Event>,
                      "gust: a queue consumer's first parameter must be the queue's message type: for "
                      "app.queue<T>(...), write `const T&`.");
      } else if constexpr (K == HandlerKind::topic) {
        static_assert(std::is_same_v<std::remove_cvref_t<First>, Event>,
                      "gust: a topic subscriber's first parameter must be the topic's message type: for "
                      "app.topic<T>(...), write `const T&`.");
      } else if constexpr (K == HandlerKind::schedule) {
        static_assert(std::is_same_v<std::remove_cvref_t<First>, ScheduleEvent>,
                      "gust: a schedule handler's first parameter must be `const gust::ScheduleEvent&`.");
      } else {
        static_assert(std::is_same_v<std::remove_cvref_t<First>, ObjectCreated>,
                      "gust: an object-created handler's first parameter must be `const gust::ObjectCreated&`.");
      }
      static_assert(Args::size <= 1 + sizeof...(Caps),
                    "gust: the handler takes more parameters than it has grants. Add a grant per capability "
                    "(gust::reads(table), gust::sends(queue), ...) before the handler, or remove the parameter.");
      static_assert(Args::size >= 1 + sizeof...(Caps),
                    "gust: the handler takes fewer parameters than it has grants. Take one capability per grant "
                    "after the event, in grant order (reads(table) -> gust::TableReader<T>, ...), or drop the "
                    "unused grant so the function does not hold permissions it never uses.");
      if constexpr (Args::size == 1 + sizeof...(Caps)) {
        [[maybe_unused]] constexpr bool all = []<std::size_t... I>(std::index_sequence<I...>) {
          return (HandlerParameterMustMatchGrant<I + 1, Caps, typename ArgAt<I + 1, Args>::type>::value && ...);
        }(std::index_sequence_for<Caps...>{});
      }
    }
  } else {
    static_assert(std::is_invocable_v<F&, const Event&, Caps...>,
                  "gust: the handler cannot be called with the trigger's event followed by one capability per "
                  "grant, in grant order.");
  }
  return true;
}

template <class R>
inline constexpr bool is_response_result = std::is_same_v<R, Response> || std::is_same_v<R, Result<Response>>;

// Turns a handler's Result<Response> error into the response a client sees.
Response response_for_error(const Error& error);
// Throws the error so that the trigger marks the message or event failed.
[[noreturn]] void throw_handler_error(const Error& error);

template <class Cap>
Cap make_capability(const Bindings& bindings, std::size_t slot) {
  return Cap(bindings[slot]);
}

template <class... Caps, class F>
HttpHandler erase_http(F handler) {
  using R = std::invoke_result_t<F&, const Request&, Caps...>;
  static_assert(is_response_result<R>,
                "gust: a route handler must return gust::Response (or gust::Result<gust::Response>): "
                "return gust::Response::json(value), gust::Response::text(\"...\"), gust::Response::not_found(), ...");
  return [handler = std::move(handler)](const Request& req, const Bindings& b) mutable -> Response {
    return [&]<std::size_t... I>(std::index_sequence<I...>) -> Response {
      if constexpr (std::is_same_v<R, Response>) {
        return handler(req, make_capability<Caps>(b, I)...);
      } else {
        auto result = handler(req, make_capability<Caps>(b, I)...);
        if (!result) return response_for_error(result.error());
        return *std::move(result);
      }
    }(std::index_sequence_for<Caps...>{});
  };
}

template <class R>
inline constexpr bool is_void_result = std::is_void_v<R> || std::is_same_v<R, Result<void>>;

template <class Event, class... Caps, class F>
auto erase_void(F handler) {
  using R = std::invoke_result_t<F&, const Event&, Caps...>;
  static_assert(is_void_result<R>,
                "gust: a queue, topic, schedule or object handler returns void (or gust::Result<void>); "
                "throw or return an error to have the message or event retried.");
  return [handler = std::move(handler)](const Event& event, const Bindings& b) mutable {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (std::is_void_v<R>) {
        handler(event, make_capability<Caps>(b, I)...);
      } else {
        auto result = handler(event, make_capability<Caps>(b, I)...);
        if (!result) throw_handler_error(result.error());
      }
    }(std::index_sequence_for<Caps...>{});
  };
}

template <class T, class... Caps, class F>
MessageHandler erase_message(F handler) {
  auto typed = erase_void<T, Caps...>(std::move(handler));
  return [typed = std::move(typed)](std::string_view body, const Bindings& b) mutable {
    auto message = from_json<T>(body);
    if (!message) throw_handler_error(message.error());
    typed(*message, b);
  };
}

}  // namespace gust::detail
