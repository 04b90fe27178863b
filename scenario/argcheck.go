package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// checkArgsGiven checks the args object raw, which encoding/json has
// decoded into the args struct of f already (so it is one valid JSON
// object, and an account arg is a string): no value is null or holds a
// null, every account arg given is a valid name, and every required arg
// is given. Keys match names as encoding/json matches them, without
// regard to case.
func checkArgsGiven(raw []byte, f argFields) error {
	var keys [16][]byte
	given := keys[:0]
	i := skipSpace(raw, 0)
	if i == len(raw) || raw[i] != '{' {
		return fmt.Errorf("args must be an object")
	}
	i = skipSpace(raw, i+1)
	for i < len(raw) && raw[i] != '}' {
		end := skipString(raw, i)
		key := unquote(raw[i:end])
		i = skipSpace(raw, skipSpace(raw, end)+1) // past the colon
		vend, null := skipValue(raw, i)
		if null {
			return fmt.Errorf("%s is null: give a value, or leave an optional arg out", key)
		}
		if name := nameFold(f.accounts, key); name != "" {
			if err := CheckAccount(string(unquote(raw[i:vend]))); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		given = append(given, key)
		i = skipSpace(raw, vend)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	for _, name := range f.required {
		if !givenFold(given, name) {
			return fmt.Errorf("%s is required", name)
		}
	}
	return nil
}

// unquote is the content of the JSON string s.
func unquote(s []byte) []byte {
	if bytes.IndexByte(s, '\\') < 0 {
		return s[1 : len(s)-1]
	}
	var out string
	json.Unmarshal(s, &out)
	return []byte(out)
}

// sameName says whether key matches name as encoding/json matches keys.
func sameName(key []byte, name string) bool {
	return string(key) == name || len(key) == len(name) && bytes.EqualFold(key, []byte(name))
}

// nameFold is the name of names that key matches, or "".
func nameFold(names []string, key []byte) string {
	for _, name := range names {
		if sameName(key, name) {
			return name
		}
	}
	return ""
}

func givenFold(keys [][]byte, name string) bool {
	for _, k := range keys {
		if sameName(k, name) {
			return true
		}
	}
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; ; {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return len(b)
		}
		i += q
		escapes := 0
		for j := i - 1; b[j] == '\\'; j-- {
			escapes++
		}
		i++
		if escapes%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index just past the value that starts at b[i],
// and whether it is null or holds one: out of strings, the letter n only
// begins the literal null.
func skipValue(b []byte, i int) (end int, null bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i, null
			}
			i--
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, null
			}
			if depth--; depth == 0 {
				return i + 1, null
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i, null
			}
		case 'n':
			null = true
		}
	}
	return i, null
}
