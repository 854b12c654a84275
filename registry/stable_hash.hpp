// A 64-bit string hash that is the same on every run, build and machine.
//
// Why not std::hash: its value is unspecified and differs between standard libraries (and may be
// seeded per process), so a session id could map to a different pool after a restart or on
// another node. Routing must be reproducible, so we pin the algorithm here.
//
// Why FNV-1a plus a final mix: FNV-1a is tiny, byte-order independent and well known, but its low
// bits are weak for short keys that differ only in their last characters ("conn-1", "conn-2", ...),
// and pools are chosen with `hash % N`, which looks mostly at low bits. The splitmix64 finalizer
// spreads every input bit over every output bit, which is what makes the modulo even.
#pragma once

#include <cstdint>
#include <string_view>

namespace cafmcp::registry {

// Plain FNV-1a, 64 bits (offset basis and prime from the reference definition).
constexpr std::uint64_t fnv1a_64(std::string_view text) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The splitmix64 finalizer: a bijection on 64 bits with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

// The hash used for routing decisions. `seed` derives independent hash functions from the same
// text (the registry table uses one for its shards, so that shard and pool are uncorrelated).
constexpr std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = 0) noexcept {
  return mix64(fnv1a_64(text) ^ mix64(seed));
}

} // namespace cafmcp::registry
