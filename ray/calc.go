package ray

// Calc chains checked operations and keeps the first error, so that a
// formula reads as a formula: c.Div(c.Mul(a, b), d), then one check of
// c.Err. After an error the results are meaningless and must not be stored.
type Calc struct {
	// Err is the first error met, or nil.
	Err error
}

func (c *Calc) keep(z Int, err error) Int {
	if err != nil && c.Err == nil {
		c.Err = err
	}
	return z
}

// Add is the checked sum a+b.
func (c *Calc) Add(a, b Int) Int { return c.keep(Add(a, b)) }

// Sub is the checked difference a-b.
func (c *Calc) Sub(a, b Int) Int { return c.keep(Sub(a, b)) }

// MulInt is the checked plain product a·b.
func (c *Calc) MulInt(a, b Int) Int { return c.keep(MulInt(a, b)) }

// DivInt is the floor quotient a/b.
func (c *Calc) DivInt(a, b Int) Int { return c.keep(DivInt(a, b)) }

// Mul is rayMul(a, b).
func (c *Calc) Mul(a, b Int) Int { return c.keep(Mul(a, b)) }

// Div is rayDiv(a, b).
func (c *Calc) Div(a, b Int) Int { return c.keep(Div(a, b)) }

// MulDiv is floor(a·b/d) with a checked product.
func (c *Calc) MulDiv(a, b, d Int) Int { return c.keep(MulDiv(a, b, d)) }

// MulDivFull is floor(a·b/d) with a 512-bit intermediate product.
func (c *Calc) MulDivFull(a, b, d Int) Int { return c.keep(MulDivFull(a, b, d)) }
