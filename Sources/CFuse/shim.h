// fuse_lowlevel.h refuses to compile without FUSE_USE_VERSION, and a module map cannot define macros.
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
