package canonical

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestReaderReadsAndKeepsTheFirstError(t *testing.T) {
	data := binary.BigEndian.AppendUint64(nil, 2)
	data = append(data, "hi"...)
	data = append(data, make([]byte, 31)...)
	data = append(data, 7)
	r := NewReader(append(data, 0))
	if s, a := r.Str(), r.Amount(); s != "hi" || a.Uint64() != 7 {
		t.Fatalf("read %q, %v", s, a)
	}
	if err := r.End(); err == nil || err.Error() != "1 trailing bytes" {
		t.Fatalf("End = %v, want 1 trailing bytes", err)
	}

	r = NewReader(binary.BigEndian.AppendUint64(nil, 9))
	if n := r.Count(); n != 0 || r.Err() == nil || !strings.HasPrefix(r.Err().Error(), "list of 9 entries") {
		t.Fatalf("Count = %d, err %v", n, r.Err())
	}
	if r.U64() != 0 || r.End().Error() != "list of 9 entries in 0 bytes" {
		t.Fatalf("a later read changed the first error: %v", r.Err())
	}
}
