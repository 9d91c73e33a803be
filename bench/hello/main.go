// Command hello is a Go hello world: the floor of a Go process's start
// that BenchmarkVersionVsHello compares `advologix-connect version` with.
package main

import "fmt"

func main() { fmt.Println("hello") }
