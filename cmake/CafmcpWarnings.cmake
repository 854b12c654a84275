# Warnings are errors for our own code only; system headers (CAF, Boost, nlohmann)
# stay out of it because they come from /usr/include.
function(cafmcp_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
