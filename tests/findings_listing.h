/* findings_listing.h -- findings as text for a failing assertion's
 * message, in the detector and catalogue tests. */
#ifndef CF_TEST_FINDINGS_LISTING_H
#define CF_TEST_FINDINGS_LISTING_H

#include <chanfuzz/findings.h>

/* Every finding's crash state, one indented line each ("" for NULL or
 * none). Leaks the text: a test prints it once, then its process ends. */
char *listing(const chanfuzz_findings *f);

#endif
