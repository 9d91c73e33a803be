package main

import "github.com/go-gl/glfw/v3.3/glfw"

// screenArea is the usable area of the primary screen (without task bars
// and panels), in pixels, through GLFW, the library Fyne's desktop driver
// runs on: Fyne has no call for it. It runs on Fyne's goroutine, after a
// window was made (GLFW is started then); 0, 0 when it cannot tell.
func screenArea() (width, height int) {
	defer func() {
		if recover() != nil {
			width, height = 0, 0
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return 0, 0
	}
	_, _, width, height = m.GetWorkarea()
	return width, height
}
