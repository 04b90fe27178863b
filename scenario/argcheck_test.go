package scenario

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCheckArgsGiven compares the args scanner with encoding/json: on
// any object encoding/json reads, it refuses exactly the objects holding
// a null, or missing a required name (keys matched without regard to
// case).
func FuzzCheckArgsGiven(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `{"pool":0}`, `{"Pool":null}`, `{"pools":[0,null]}`, `{"a":{"b":[1,{"c":null}]},"pool":"n\"ull"}`,
		`{"\u0070ool":1}`, ` { "pool" : [ ] , "x" : "\\" } `, `{"pool":true,"pool":false}`, `{"pool":null,"POOL":1,"a":2}`, `{"name":"nnn","pool":-1.5e3}`} {
		f.Add([]byte(s))
	}
	required := []string{"pool", "a"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		if json.Unmarshal(raw, &obj) != nil || obj == nil || dec.Decode(new(any)) != nil {
			return
		}
		wantNull := tokensHoldNull(raw)
		missing := ""
		for _, name := range required {
			found := false
			for k := range obj {
				found = found || strings.EqualFold(k, name)
			}
			if !found && missing == "" {
				missing = name
			}
		}
		err := checkArgsGiven(raw, argFields{required: required})
		switch {
		case wantNull && (err == nil || !strings.Contains(err.Error(), "is null")):
			t.Fatalf("%s holds a null: %v", raw, err)
		case !wantNull && missing != "" && (err == nil || err.Error() != missing+" is required"):
			t.Fatalf("%s misses %s: %v", raw, missing, err)
		case !wantNull && missing == "" && err != nil:
			t.Fatalf("%s: %v", raw, err)
		}
	})
}

// tokensHoldNull reports whether the JSON text raw has a null token
// (duplicate keys included, which a map would hide).
func tokensHoldNull(raw []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if tok == nil {
			return true
		}
	}
}
