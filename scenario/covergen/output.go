package covergen

import (
	"encoding/json"
	"strconv"

	"github.com/vpool/vpool/cover"
	"github.com/vpool/vpool/scenario"
)

func (g *generator) write(parts ...[]byte) {
	for _, p := range parts {
		if _, err := g.out.Write(p); err != nil && g.werr == nil {
			g.werr = err
		}
	}
}

func (g *generator) writeString(s string) { g.write([]byte(s)) }

func (g *generator) header() {
	name, _ := json.Marshal(g.opt.Name)
	if g.yaml {
		g.writeString("name: " + string(name) + "\nmarket: {" + string(g.marketArgs.ym) + "}\nassets:\n")
		for _, a := range g.assetArgs {
			g.writeString("  - {" + string(a.ym) + "}\n")
		}
		g.writeString("strategies:\n")
		for _, a := range g.strategyArgs {
			g.writeString("  - {" + string(a.ym) + "}\n")
		}
		g.writeString("steps:")
		if g.opt.Steps == 0 {
			g.writeString(" []")
		}
		return
	}
	g.writeString("{\n  \"name\": " + string(name) + ",\n  \"market\": {" + string(g.marketArgs.js) + "},\n  \"assets\": [")
	for i, a := range g.assetArgs {
		g.writeString(listSep(i) + "    {" + string(a.js) + "}")
	}
	g.writeString("\n  ],\n  \"strategies\": [")
	for i, a := range g.strategyArgs {
		g.writeString(listSep(i) + "    {" + string(a.js) + "}")
	}
	g.writeString("\n  ],\n  \"steps\": [")
}

func listSep(i int) string {
	if i == 0 {
		return "\n"
	}
	return ",\n"
}

func (g *generator) footer() {
	if g.yaml {
		g.writeString("\n")
		return
	}
	g.writeString("\n  ]\n}\n")
}

// emit writes the step op with the args in g.a at the current time and
// applies it to the generator's market. planned marks a step meant to fail.
func (g *generator) emit(op string, planned bool) (any, error) {
	if g.emitted >= g.opt.Steps || g.werr != nil {
		return nil, errEnoughSteps
	}
	var args json.RawMessage
	if g.a.n > 0 {
		g.args = append(append(append(g.args[:0], '{'), g.a.js...), '}')
		args = g.args
	}
	at := strconv.AppendUint(nil, g.now, 10)
	if g.yaml {
		g.write([]byte("\n  - {at: "), at, []byte(", op: "+op))
		if args != nil {
			g.write([]byte(", args: {"), g.a.ym, []byte("}"))
		}
		g.write([]byte("}"))
	} else {
		g.write([]byte(listSep(g.emitted)+"    {\"at\": "), at, []byte(", \"op\": \""+op+"\""))
		if args != nil {
			g.write([]byte(", \"args\": "), args)
		}
		g.write([]byte("}"))
	}
	res, err := scenario.ApplyStep(g.m, scenario.Step{At: g.now, Op: op, Args: args}, g.prev)
	g.prev = g.now
	g.emitted++
	st := &g.stats
	st.Steps, st.End = g.emitted, g.now
	st.Ops[op]++
	if planned {
		st.Planned++
	}
	switch {
	case err != nil:
		code := cover.CodeOf(err)
		st.Failed++
		st.Errors[code]++
		if !planned {
			st.Unplanned[code]++
		}
	case planned:
		st.PlannedOK++
	}
	return res, err
}

// resultID reads the id named key from an op's result.
func resultID(res any, key string) int {
	if m, ok := res.(map[string]int); ok {
		if id, ok := m[key]; ok {
			return id
		}
	}
	return -1
}
