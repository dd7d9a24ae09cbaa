// Package ospkg: os.CreateTemp, Open, Create, Close, Name, Write, Remove
// on t.TempDir.
package ospkg

import (
	"os"
	"strings"
	"testing"
)

func TestCreateTempAndRemove(t *testing.T) {
	dir := t.TempDir()
	f, err := os.CreateTemp(dir, "data-*.txt")
	if err != nil {
		t.Fatal(err)
	}
	name := f.Name()
	if !strings.HasPrefix(name, dir+"/data-") || !strings.HasSuffix(name, ".txt") {
		t.Fatalf("name %q not in %q", name, dir)
	}
	if n, err := f.WriteString("hello"); err != nil || n != 5 {
		t.Fatalf("WriteString: %d %v", n, err)
	}
	if n, err := f.Write([]byte("!")); err != nil || n != 1 {
		t.Fatalf("Write: %d %v", n, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
}

func TestCreateAndDeferClose(t *testing.T) {
	path := t.TempDir() + "/out.log" // (filepath: lang/regress/filepath_os)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Name() != path {
		t.Fatalf("Name %q", f.Name())
	}
	if _, err := f.WriteString("line\n"); err != nil {
		t.Fatal(err)
	}
}

func TestCloseTwice(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err == nil {
		t.Fatal("second Close reports an error")
	}
}
