#include "cafmcp/transports/http_wire.hpp"

#include <cstdio>

namespace cafmcp::transports {

std::string_view status_text(int status) noexcept {
  switch (status) {
  case 100:
    return "Continue";
  case 101:
    return "Switching Protocols";
  case 200:
    return "OK";
  case 202:
    return "Accepted";
  case 204:
    return "No Content";
  case 400:
    return "Bad Request";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 406:
    return "Not Acceptable";
  case 408:
    return "Request Timeout";
  case 409:
    return "Conflict";
  case 413:
    return "Content Too Large";
  case 415:
    return "Unsupported Media Type";
  case 426:
    return "Upgrade Required";
  case 429:
    return "Too Many Requests";
  case 431:
    return "Request Header Fields Too Large";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Unknown";
  }
}

namespace {

void append_head(std::string& out, int status, const header_list& headers) {
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += status_text(status);
  out += "\r\n";
  for (const auto& [k, v] : headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
}

} // namespace

std::string format_response(int status, const header_list& headers, std::string_view body,
                            bool keep_alive) {
  std::string out;
  out.reserve(128 + body.size());
  append_head(out, status, headers);
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n";
  if (!keep_alive)
    out += "Connection: close\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string format_stream_head(int status, const header_list& headers, bool chunked) {
  std::string out;
  append_head(out, status, headers);
  if (chunked)
    out += "Transfer-Encoding: chunked\r\n";
  else
    out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

std::string format_chunk(std::string_view data) {
  char len[24];
  std::snprintf(len, sizeof(len), "%zx\r\n", data.size());
  std::string out{len};
  out.reserve(out.size() + data.size() + 2);
  out += data;
  out += "\r\n";
  return out;
}

std::string_view last_chunk() noexcept {
  return "0\r\n\r\n";
}

std::string format_sse_event(std::string_view id, std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(data.size() + id.size() + event.size() + 32);
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  std::size_t pos = 0;
  for (;;) {
    auto nl = data.find('\n', pos);
    auto line = data.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += '\n';
    if (nl == std::string_view::npos)
      break;
    pos = nl + 1;
  }
  out += '\n';
  return out;
}

std::string format_sse_retry(std::chrono::milliseconds retry) {
  return "retry: " + std::to_string(retry.count()) + "\n";
}

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  out += '"';
}

} // namespace

std::string jsonrpc_error_body(int code, std::string_view message, std::string_view id_json) {
  std::string out = R"({"jsonrpc":"2.0","error":{"code":)";
  out += std::to_string(code);
  out += R"(,"message":)";
  append_json_string(out, message);
  out += R"(},"id":)";
  out += id_json.empty() ? std::string_view{"null"} : id_json;
  out += '}';
  return out;
}

std::optional<std::string> url_decode(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size())
        return std::nullopt;
      int hi = hex(in[i + 1]);
      int lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> http_request::query_param(std::string_view name) const {
  std::string_view t{target};
  auto q = t.find('?');
  if (q == std::string_view::npos)
    return std::nullopt;
  auto rest = t.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto part = rest.substr(0, amp);
    auto eq = part.find('=');
    auto key = url_decode(part.substr(0, eq));
    if (key && *key == name) {
      if (eq == std::string_view::npos)
        return std::string{};
      return url_decode(part.substr(eq + 1));
    }
    if (amp == std::string_view::npos)
      break;
    rest = rest.substr(amp + 1);
  }
  return std::nullopt;
}

} // namespace cafmcp::transports

#include <atomic>

#include "cafmcp/transports/detail/asio_glue.hpp"

namespace cafmcp::transports::detail {

std::uint64_t next_exchange_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

} // namespace cafmcp::transports::detail
