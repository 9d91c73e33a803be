//go:build !linux

package main

// trimCHeap: only glibc keeps freed pages in a way worth asking back.
func trimCHeap() {}
