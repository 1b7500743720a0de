#ifndef TAINT_EXPORTER_MHD_COMPAT_H
#define TAINT_EXPORTER_MHD_COMPAT_H

/* What differs between the libmicrohttpd versions this builds with (Debian 12 has 0.9.75). */

#include <microhttpd.h>

/* libmicrohttpd 0.9.71 turned the handlers' int results into enum MHD_Result. */
#if MHD_VERSION >= 0x00097002
#define MHD_RESULT enum MHD_Result
#else
#define MHD_RESULT int
#endif

#endif
