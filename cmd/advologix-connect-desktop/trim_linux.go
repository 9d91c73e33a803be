package main

// #include <malloc.h>
import "C"

// trimCHeap gives the C heap's free pages back to the system: the window's
// OpenGL (Mesa) and font buffers are freed with the window, but glibc keeps
// the pages for reuse unless asked.
func trimCHeap() { C.malloc_trim(0) }
