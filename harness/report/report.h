/* report.h -- what the report writers share. Private to harness/report. */
#ifndef CF_REPORT_H
#define CF_REPORT_H

#include <cjson/cJSON.h>

#include <chanfuzz/findings.h>
#include <chanfuzz/site_column.h>

/* The JSON object of one finding (README.md, "JSON"); the SARIF writer
 * embeds it in each result's properties. NULL when out of memory. */
cJSON *cf_report_finding_json(const chanfuzz_report_info *info, const chanfuzz_findings *findings,
                              const chanfuzz_finding *finding);

/* The line that heads a finding's text report and its SARIF message:
 * "chanfuzz: leak in scenario NAME (VARIANT): 1 goroutine blocked". */
void cf_report_header(char *out, size_t size, const chanfuzz_report_info *info,
                      const chanfuzz_finding *finding);

/* {"file": ..., "line": ..., "function": ...}, or a JSON null for NULL. */
cJSON *cf_report_site_json(const go_site *site);

#endif
