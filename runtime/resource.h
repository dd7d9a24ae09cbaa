/* resource.h -- modelled files and connections (resource.c), as the rest
 * of the runtime sees them: the execution's table of them. */
#ifndef CF_RESOURCE_H
#define CF_RESOURCE_H

#include "chanfuzz/exec.h"

/* Releases the execution's resource table; the resources themselves go
 * with the object list. */
void cf_resource_table_free(go_exec *e);

#endif
