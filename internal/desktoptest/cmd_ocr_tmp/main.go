package main

import (
	"context"
	"fmt"
	"os"

	"github.com/advologix/advologix-connect/internal/desktoptest"
)

func main() {
	t, err := desktoptest.OCR(context.Background(), os.Args[1])
	fmt.Println(err)
	fmt.Println(t)
	for _, w := range os.Args[2:] {
		fmt.Println(w, t.Contains(w))
	}
}
