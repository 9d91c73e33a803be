// Command kinds uses one C name of every kind cgo tells apart, so that a
// change in how cgo classifies any of them changes this program or stops
// it building (see cgoprobe's test).
package main

/*
#include <stdint.h>
#include <stdlib.h>

typedef struct { int x, y; } point;
typedef int (*binary_op)(int, int);
typedef enum { SHAPE_DOT = 1, SHAPE_LINE = 2 } shape;
struct tagged { long id; };
union either { int i; float f; };

int counter = 41;
double ratio = 0.5;
const char *greeting = "hello";
point origin = { 3, 4 };
int table[3] = { 7, 8, 9 };
enum { PLAIN_ENUM = 5 };

#define LIMIT 7
#define NEGATIVE (-3)
#define SCALE 2.5
#define NAME "probe"
#define SHIFTED (1u << 4)

static int add(int a, int b) { return a + b; }
static binary_op pick(void) { return add; }
static int call(binary_op f, int a, int b) { return f(a, b); }
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	p := C.point{x: 1, y: 2}
	var t C.struct_tagged
	t.id = 9
	var u C.union_either
	var s C.shape = C.SHAPE_LINE
	var w C.int64_t = 1 << 40
	var ptr C.uintptr_t = C.uintptr_t(uintptr(unsafe.Pointer(&p)))
	name := C.CString("free me")
	defer C.free(unsafe.Pointer(name))
	fmt.Println(
		C.counter, C.ratio, C.GoString(C.greeting), C.origin.x, C.origin.y, C.table[2],
		C.PLAIN_ENUM, C.LIMIT, C.NEGATIVE, C.SCALE, C.NAME, C.SHIFTED,
		C.add(2, 3), C.call(C.pick(), 4, 5), p.x+p.y, t.id, len(u), s, w, ptr != 0,
		C.GoString(name),
	)
}
