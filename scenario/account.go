package scenario

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Account is an arg that names an account (owner, to, as, from, caller):
// the op decoders check it with CheckAccount when it is given.
type Account string

// MaxAccountLen is the longest account name, in bytes.
const MaxAccountLen = 64

// CheckAccount says whether name may name an account, in an op's args as
// in `vpool keys create --account`: 1 to 64 bytes of UTF-8, every
// character printable, none a space, and no U+FFFD (what a decoder puts
// for bytes it could not read). A name outside these rules
// could never get a key, so what it received would be stranded.
func CheckAccount(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("an account name is required")
	case len(name) > MaxAccountLen:
		return fmt.Errorf("account name of %d bytes: at most %d", len(name), MaxAccountLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("account name %q is not UTF-8", name)
	}
	for _, r := range name {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return fmt.Errorf("account name %q: want printable characters without spaces, not %U", name, r)
		}
	}
	return nil
}
