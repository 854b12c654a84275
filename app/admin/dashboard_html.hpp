#pragma once
// The /dashboard page: one self-contained HTML document (styles and script inline, no CDN, no
// other file), compiled into the binary. It opens /dashboard/events (server-sent events) with
// the token from its own URL (?token=...) and redraws on every update, without reloading.

namespace cafmcp::app {

extern const char dashboard_html[];

} // namespace cafmcp::app
