#pragma once

// A value or an error, never both: the protocol layer reports every failure as
// a value so that callers (actors, transports) never have to catch anything.
// CAF has caf::expected, but protocol/ must not depend on CAF.

#include <cstdlib>
#include <optional>
#include <utility>
#include <variant>

namespace cafmcp::protocol {

template <class T, class E>
class [[nodiscard]] result {
public:
  // Implicit on purpose: `return value;` and `return error;` both read naturally.
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition: has_value(). Reading the wrong side is a programming error,
  // so it aborts rather than throwing across the API.
  T& value() & { return *checked<0>(); }
  const T& value() const& { return *checked<0>(); }
  T&& value() && { return std::move(*checked<0>()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return checked<0>(); }
  const T* operator->() const { return checked<0>(); }

  // Precondition: !has_value().
  E& error() & { return *checked<1>(); }
  const E& error() const& { return *checked<1>(); }
  E&& error() && { return std::move(*checked<1>()); }

private:
  template <std::size_t I>
  auto* checked() {
    auto* p = std::get_if<I>(&v_);
    if (p == nullptr)
      std::abort();
    return p;
  }
  template <std::size_t I>
  const auto* checked() const {
    const auto* p = std::get_if<I>(&v_);
    if (p == nullptr)
      std::abort();
    return p;
  }

  std::variant<T, E> v_;
};

// "It worked, or here is why not" for checks that produce no value.
template <class E>
class [[nodiscard]] result<void, E> {
public:
  result() = default;
  result(E error) : error_(std::move(error)) {}

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }

  // Precondition: !has_value().
  const E& error() const& {
    if (!error_)
      std::abort();
    return *error_;
  }

private:
  std::optional<E> error_;
};

} // namespace cafmcp::protocol
