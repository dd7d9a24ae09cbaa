/* target_name.c -- compiled once per fuzz binary with
 * -DCHANFUZZ_TARGET="NAME:VARIANT" (chanfuzz_add_fuzz_target): the scenario
 * variant this binary runs. fuzz_entry.c declares it weak, so binaries
 * without it (the generic driver) choose their variant at run time. */
#ifndef CHANFUZZ_TARGET
#error "compile with -DCHANFUZZ_TARGET=\"NAME:VARIANT\""
#endif
extern const char chanfuzz_fuzz_target_spec[];
const char chanfuzz_fuzz_target_spec[] = CHANFUZZ_TARGET;
