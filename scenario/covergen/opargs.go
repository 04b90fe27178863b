package covergen

import (
	"strconv"

	"github.com/vpool/vpool/ray"
)

// opArgs writes an op's args as the inside of a JSON object and, for YAML
// output, of a YAML flow mapping.
type opArgs struct {
	js, ym []byte
	yaml   bool
	n      int
}

func (a *opArgs) reset() { a.js, a.ym, a.n = a.js[:0], a.ym[:0], 0 }

func (a *opArgs) key(k string) {
	if a.n > 0 {
		a.js = append(a.js, ", "...)
		if a.yaml {
			a.ym = append(a.ym, ", "...)
		}
	}
	a.n++
	a.js = append(append(append(a.js, '"'), k...), "\": "...)
	if a.yaml {
		a.ym = append(append(a.ym, k...), ": "...)
	}
}

// raw writes a value given in both syntaxes.
func (a *opArgs) raw(k, js, ym string) {
	a.key(k)
	a.js = append(a.js, js...)
	if a.yaml {
		a.ym = append(a.ym, ym...)
	}
}

// name writes an identifier (account, asset): quoted in JSON, plain in YAML.
func (a *opArgs) name(k, v string) { a.raw(k, `"`+v+`"`, v) }

// text writes a decimal string, quoted in both.
func (a *opArgs) text(k, v string) { a.raw(k, `"`+v+`"`, `"`+v+`"`) }

func (a *opArgs) amount(k string, v ray.Int) { a.text(k, v.Dec()) }

func (a *opArgs) uint(k string, v uint64) {
	s := strconv.FormatUint(v, 10)
	a.raw(k, s, s)
}

func (a *opArgs) boolean(k string, v bool) {
	s := strconv.FormatBool(v)
	a.raw(k, s, s)
}

func (a *opArgs) ints(k string, v []int) {
	var b []byte
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	s := string(append(b, ']'))
	a.raw(k, s, s)
}
