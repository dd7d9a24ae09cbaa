/* diff_embedded.c -- the files `chanfuzz diff` writes into each batch, as
 * bytes: diff_go_support (go/support.go), diff_go_frontend_support
 * (go/frontend_support.go), diff_frontend_runner_source
 * (frontend_runner.c). CMake generates the arrays into the build tree
 * (harness/diff/CMakeLists.txt says why they are compiled from here). */
#include "diff_embedded.inc"
