package desktoptest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// OCRTools are the programs [Session.Screenshot] and [OCR] need. convert
// is ImageMagick's by its full path: /usr/local/bin may hold another.
var OCRTools = []string{"import", "tesseract", convertPath}

const convertPath = "/usr/bin/convert"

// Screenshot photographs the X window id (its own contents, without the
// frame the window manager adds; "root" for the screen) into path as PNG.
// A picture of one flat colour means the window is not drawn yet: it tries
// again until ctx ends.
func (s *Session) Screenshot(ctx context.Context, id, path string) error {
	// Into a file beside path, renamed when good: an import cut short
	// (ctx ended) must not leave a broken picture under path.
	tmp := path + ".part.png"
	defer os.Remove(tmp)
	for {
		cmd := exec.CommandContext(ctx, "import", "-display", s.Display, "-window", id, tmp)
		cmd.Env = s.Env()
		out, err := cmd.CombinedOutput()
		if err == nil {
			err = checkPicture(tmp)
			if err == nil {
				return os.Rename(tmp, path)
			}
		} else {
			err = fmt.Errorf("import -window %s: %w: %s", id, err, bytes.TrimSpace(out))
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkPicture fails for an unreadable or empty PNG, or one of a single
// colour.
func checkPicture(path string) error {
	img, err := readPNG(path)
	if err != nil {
		return err
	}
	b := img.Bounds()
	if b.Empty() {
		return fmt.Errorf("%s: empty picture", path)
	}
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, a := img.At(x, y).RGBA(); r != r0 || g != g0 || bl != b0 || a != a0 {
				return nil
			}
		}
	}
	return fmt.Errorf("%s: %dx%d of one flat colour (rgba %d,%d,%d,%d)", path, b.Dx(), b.Dy(), r0>>8, g0>>8, b0>>8, a0>>8)
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// Word is one word tesseract read, with its box in the photographed
// picture's pixels.
type Word struct {
	Text                string
	X, Y, Width, Height int
	Line                int // index into [Text.Lines]
}

// Text is what OCR read in a picture.
type Text struct {
	Lines []string
	Words []Word
}

// Append returns t followed by u (another picture's text, say the next
// page of a scrolled window).
func (t Text) Append(u Text) Text {
	out := Text{Lines: append(append([]string(nil), t.Lines...), u.Lines...), Words: append([]Word(nil), t.Words...)}
	for _, w := range u.Words {
		w.Line += len(t.Lines)
		out.Words = append(out.Words, w)
	}
	return out
}

// String is the text line by line.
func (t Text) String() string { return strings.Join(t.Lines, "\n") }

// ocrPass is one way a picture is prepared for tesseract and read.
type ocrPass struct {
	prepare []string // ImageMagick options after the enlargement
	psm     string   // tesseract's page segmentation mode
}

// ocrPasses: grey, read as sparse text (labels and buttons more than
// paragraphs); then only the near-white kept, for light text on a
// coloured button (white on blue, or on the lighter blue of a focused
// button, keeps little contrast in grey), read both as sparse text (which
// finds a focused button's label) and as a page (which finds a lone
// button in the light theme that sparse-text mode misses).
var ocrPasses = []ocrPass{
	{[]string{"-colorspace", "Gray"}, "11"},
	{[]string{"-colorspace", "Gray", "-threshold", "85%"}, "11"},
	{[]string{"-colorspace", "Gray", "-threshold", "85%"}, "3"},
}

// OCR reads the text in the PNG at path with tesseract after enlarging
// it ×2 (text drawn at scale 1 is too small to read well); see [OCRAt].
func OCR(ctx context.Context, path string) (Text, error) { return OCRAt(ctx, path, 2) }

// OCRAt reads the text in the PNG at path with tesseract, once per way of
// preparing the picture (see ocrPasses), after enlarging it enlarge
// times (1: as it is, for a picture drawn at scale 2); the text is every
// pass's lines, and word boxes are in the original picture's pixels.
func OCRAt(ctx context.Context, path string, enlarge int) (Text, error) {
	if enlarge < 1 {
		enlarge = 1
	}
	var all Text
	for i, pass := range ocrPasses {
		t, err := runPass(ctx, path, fmt.Sprintf("%s.ocr%d.png", path, i), pass, enlarge)
		if err != nil {
			return Text{}, err
		}
		all = all.Append(t)
	}
	t, err := readButtons(ctx, path, enlarge)
	if err != nil {
		return Text{}, err
	}
	return all.Append(t), nil
}

// readButtons reads the label of each solid dark block (a primary button,
// white on blue) on its own: tesseract passes such a label over when it
// reads the whole window, in any mode, yet reads it at once when the
// button is all it sees. The blocks are found as the connected dark
// regions of the near-white picture that fill their bounding box.
func readButtons(ctx context.Context, path string, enlarge int) (Text, error) {
	thr := path + ".buttons.png"
	defer os.Remove(thr)
	if out, err := exec.CommandContext(ctx, convertPath, path, "-resize", fmt.Sprintf("%d%%", 100*enlarge),
		"-colorspace", "Gray", "-threshold", "85%", thr).CombinedOutput(); err != nil {
		return Text{}, fmt.Errorf("convert %s: %w: %s", path, err, bytes.TrimSpace(out))
	}
	out, err := exec.CommandContext(ctx, convertPath, thr, "-morphology", "Erode", "Square:3",
		"-define", "connected-components:verbose=true", "-define", "connected-components:area-threshold=2000",
		"-connected-components", "8", "null:").CombinedOutput()
	if err != nil {
		return Text{}, fmt.Errorf("convert %s (regions): %w: %s", path, err, bytes.TrimSpace(out))
	}
	var all Text
	for i, b := range solidBlocks(out) {
		crop := fmt.Sprintf("%s.button%d.png", path, i)
		if out, err := exec.CommandContext(ctx, convertPath, thr, "-crop", fmt.Sprintf("%dx%d+%d+%d", b.w, b.h, b.x, b.y), "+repage",
			"-negate", "-bordercolor", "white", "-border", "10", crop).CombinedOutput(); err != nil {
			return Text{}, fmt.Errorf("convert %s (button): %w: %s", path, err, bytes.TrimSpace(out))
		}
		cmd := exec.CommandContext(ctx, "tesseract", crop, "stdout", "-l", "eng", "--psm", "7", "tsv")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		tsv, err := cmd.Output()
		os.Remove(crop)
		if err != nil {
			return Text{}, fmt.Errorf("tesseract %s (button): %w", path, err)
		}
		t := parseTSV(tsv, enlarge)
		for j := range t.Words {
			t.Words[j].X += (b.x - 10) / enlarge
			t.Words[j].Y += (b.y - 10) / enlarge
		}
		all = all.Append(t)
	}
	return all, nil
}

type block struct{ x, y, w, h int }

// solidBlocks picks from ImageMagick's connected-components listing
// ("  101: 308x80+840+1236 993.5,1275.5 24516 gray(0)") the black regions
// wider than tall that fill nine tenths of their box and are not most of
// the picture.
func solidBlocks(listing []byte) []block {
	var blocks []block
	var total int
	for _, line := range strings.Split(string(listing), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || !strings.HasSuffix(f[0], ":") {
			continue
		}
		var b block
		if _, err := fmt.Sscanf(f[1], "%dx%d+%d+%d", &b.w, &b.h, &b.x, &b.y); err != nil {
			continue
		}
		area, err := strconv.Atoi(f[3])
		if err != nil {
			continue
		}
		if f[0] == "0:" {
			total = b.w * b.h
		}
		if f[4] != "gray(0)" || b.w <= b.h || b.h < 16 || float64(area) < 0.9*float64(b.w*b.h) {
			continue
		}
		if total > 0 && b.w*b.h > total/2 {
			continue
		}
		blocks = append(blocks, b)
	}
	return blocks
}

func runPass(ctx context.Context, path, big string, pass ocrPass, enlarge int) (Text, error) {
	defer os.Remove(big)
	args := append(append([]string{path, "-resize", fmt.Sprintf("%d%%", 100*enlarge)}, pass.prepare...), big)
	if out, err := exec.CommandContext(ctx, convertPath, args...).CombinedOutput(); err != nil {
		return Text{}, fmt.Errorf("convert %s: %w: %s", path, err, bytes.TrimSpace(out))
	}
	cmd := exec.CommandContext(ctx, "tesseract", big, "stdout", "-l", "eng", "--psm", pass.psm, "tsv")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Text{}, fmt.Errorf("tesseract %s: %w: %s", path, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return parseTSV(out, enlarge), nil
}

// parseTSV turns tesseract's TSV into lines and words, dividing the
// boxes by scale.
func parseTSV(tsv []byte, scale int) Text {
	var t Text
	type key struct{ block, par, line int }
	index := map[key]int{}
	for i, row := range strings.Split(string(tsv), "\n") {
		f := strings.Split(row, "\t")
		if i == 0 || len(f) < 12 || f[0] != "5" {
			continue
		}
		word := strings.TrimSpace(f[11])
		if word == "" {
			continue
		}
		n := make([]int, 10)
		for j := range n {
			n[j], _ = strconv.Atoi(f[j])
		}
		k := key{n[2], n[3], n[4]}
		li, ok := index[k]
		if !ok {
			li = len(t.Lines)
			index[k] = li
			t.Lines = append(t.Lines, "")
		}
		if t.Lines[li] != "" {
			t.Lines[li] += " "
		}
		t.Lines[li] += word
		t.Words = append(t.Words, Word{Text: word, X: n[6] / scale, Y: n[7] / scale, Width: n[8] / scale, Height: n[9] / scale, Line: li})
	}
	return t
}
