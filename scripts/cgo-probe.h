/*
 * Forced into every C compile of make's Go builds (CGO_CFLAGS, from
 * scripts/cgo-cflags.sh): cgo's kind probe becomes thirty times faster,
 * and what it decides stays the same.
 *
 * To learn what each C.name is, cgo compiles, for every name X, the line
 *     void __cgo_f_N_2(void) { X *__cgo_undefined__2; }
 * and reads an error on it as "X is not a type". When X is a function or a
 * variable, the error came from __cgo_undefined__2 being undeclared, and
 * for every undeclared identifier GCC searches all names and macros in
 * scope for a "did you mean" hint: for go-gl's thousands of GL functions
 * that search was 139 s of one core per build (287 s through mingw, where
 * windows.h adds its names), and a cold make test made three such builds.
 *
 * Declared here as a struct, X * __cgo_undefined__2 is still an error for
 * every X that is not a type (no C operand can be multiplied by a struct),
 * and still a declaration when X is one; only the hint search is gone.
 * internal/testing/cgoprobe proves it: every kind of C name, built with and
 * without this file, gives byte-identical programs, and it fails if cgo
 * stops writing that line.
 */
#if !defined(__ASSEMBLER__) && !defined(ADVOLOGIX_CGO_PROBE_H)
#define ADVOLOGIX_CGO_PROBE_H
extern struct advologix_cgo_probe_operand { int unused; } __cgo_undefined__2;
#endif
