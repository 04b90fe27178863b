package sim

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParse: no simulation file, however malformed, makes Parse panic, and
// one it accepts is valid (Parse validates what it returns).
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../examples/sim/small.yaml", "../examples/sim/market10.yaml", "../examples/sim/stress.yaml"} {
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

// FuzzHistory: no history CSV makes the reader panic; every row it
// accepts has a loss share in [0, 1] and a protocol, in date order.
func FuzzHistory(f *testing.F) {
	data, err := os.ReadFile("../examples/sim/hacks.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("lossShare,date,protocol\n12%,2024-01-01,x\n"))
	f.Add([]byte("date,protocol,lossShare\n2024-01-01,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		records, err := readHistory(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		for i, r := range records {
			if !(r.loss >= 0 && r.loss <= 1) || r.protocol == "" || (i > 0 && r.date.Before(records[i-1].date)) {
				t.Fatalf("accepted row %d: %+v", i, r)
			}
		}
	})
}
