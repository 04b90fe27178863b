package sim

import (
	"os"
	"testing"
)

// FuzzParse: no simulation file, however malformed, makes Parse panic, and
// one it accepts is valid (Parse validates what it returns).
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../examples/sim/small.yaml", "../examples/sim/market10.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("horizonDays: 0\n"))
	f.Add([]byte("pools: [{}]\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err == nil && c == nil {
			t.Fatal("Parse accepted the file but returned no config")
		}
	})
}
