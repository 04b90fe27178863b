package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpool/vpool/scenario"
)

func loadDoc(t *testing.T, ta *testAPI) map[string]any {
	t.Helper()
	rec := ta.must(200, "GET", "/openapi.json", "", "", nil)
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

var docParam = regexp.MustCompile(`\{([^}]+)\}`)

// Every route the handler serves is in the document, with its path
// parameters, security and error answers; every documented operation is
// served (not the mux's 404 or 405).
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	doc := loadDoc(t, ta)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	routes := routesOf(ta)
	documented := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented++
			if !slices.ContainsFunc(routes, func(rt route) bool { return rt.path == path && strings.ToLower(rt.method) == method }) {
				t.Errorf("the document has %s %s, which is not a route", method, path)
			}
			// The handler serves it: whatever the status, it is not the
			// mux's "no route" (a route's own 404 is a JSON error with a
			// message naming the object, not the path).
			probe := docParam.ReplaceAllString(path, "0")
			rec := ta.do(strings.ToUpper(method), probe, "", "")
			if rec.Code == http.StatusMethodNotAllowed || rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), "no route") {
				t.Errorf("%s %s is documented but not served: %d", method, path, rec.Code)
			}
		}
	}
	if documented != len(routes) {
		t.Errorf("%d operations documented, %d routes", documented, len(routes))
	}
	for _, rt := range routes {
		op, ok := get(doc, "paths", rt.path, strings.ToLower(rt.method)).(map[string]any)
		if !ok {
			t.Errorf("route %s is missing from openapi.json", rt.pattern())
			continue
		}
		if op["summary"] == "" || op["operationId"] == "" || get(op, "responses", "200") == nil {
			t.Errorf("%s: no summary, operationId or 200 answer", rt.pattern())
		}
		for _, m := range docParam.FindAllStringSubmatch(rt.path, -1) {
			found := false
			for _, p := range asList(op["parameters"]) {
				found = found || get(p, "name") == m[1] && get(p, "in") == "path" && get(p, "required") == true
			}
			if !found {
				t.Errorf("%s: path parameter %s undocumented", rt.pattern(), m[1])
			}
		}
		sec, hasSec := op["security"]
		if rt.access == public {
			if !hasSec || len(asList(sec)) != 0 {
				t.Errorf("%s is public but its security is %v", rt.pattern(), sec)
			}
		} else if hasSec || get(op, "responses", "401") == nil || get(op, "x-vpool-roles") == nil {
			t.Errorf("%s needs a key: it must keep the default security, list its roles and document 401", rt.pattern())
		}
	}
	// Every pattern registered on the mux is documented.
	for _, pattern := range newAPI(ta.n, HandlerOptions{}).registered {
		method, path, _ := strings.Cut(pattern, " ")
		if get(doc, "paths", path, strings.ToLower(method)) == nil {
			t.Errorf("%s is registered on the mux but missing from openapi.json", pattern)
		}
	}
	// Every $ref resolves.
	walk(doc, func(m map[string]any) {
		if r, ok := m["$ref"].(string); ok {
			if resolve(doc, r) == nil {
				t.Errorf("unresolved $ref %s", r)
			}
		}
	})
}

func asList(v any) []any { l, _ := v.([]any); return l }

func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, e := range x {
			walk(e, fn)
		}
	case []any:
		for _, e := range x {
			walk(e, fn)
		}
	}
}

func resolve(doc map[string]any, ref string) map[string]any {
	path := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
	m, _ := get(doc, path...).(map[string]any)
	return m
}

// validate checks x (decoded with UseNumber) against the subset of JSON
// Schema the document uses.
func validate(doc, s map[string]any, x any, at string) error {
	if r, ok := s["$ref"].(string); ok {
		target := resolve(doc, r)
		if target == nil {
			return fmt.Errorf("%s: unresolved %s", at, r)
		}
		return validate(doc, target, x, at)
	}
	if alts, ok := s["oneOf"]; ok {
		var passed int
		var errs []string
		for _, alt := range asList(alts) {
			if err := validate(doc, alt.(map[string]any), x, at); err != nil {
				errs = append(errs, err.Error())
			} else {
				passed++
			}
		}
		if passed != 1 {
			return fmt.Errorf("%s: %d of oneOf match: %s", at, passed, strings.Join(errs, "; "))
		}
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(x) {
		return fmt.Errorf("%s: %v is not %v", at, x, c)
	}
	if e, ok := s["enum"]; ok && !slices.ContainsFunc(asList(e), func(v any) bool { return fmt.Sprint(v) == fmt.Sprint(x) }) {
		return fmt.Errorf("%s: %v not in %v", at, x, e)
	}
	typ, _ := s["type"].(string)
	switch v := x.(type) {
	case map[string]any:
		if typ != "" && typ != "object" {
			return fmt.Errorf("%s: an object, want %s", at, typ)
		}
		pr, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := v[r.(string)]; !ok {
				return fmt.Errorf("%s: %s is required", at, r)
			}
		}
		for k, e := range v {
			if ps, ok := pr[k].(map[string]any); ok {
				if err := validate(doc, ps, e, at+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: property %s is not in the schema", at, k)
				}
			case map[string]any:
				if err := validate(doc, ap, e, at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if typ != "" && typ != "array" {
			return fmt.Errorf("%s: an array, want %s", at, typ)
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range v {
				if err := validate(doc, items, e, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
		for i, p := range asList(s["prefixItems"]) {
			if i < len(v) {
				if err := validate(doc, p.(map[string]any), v[i], fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	case string:
		if typ != "" && typ != "string" {
			return fmt.Errorf("%s: a string, want %s", at, typ)
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			return fmt.Errorf("%s: %q does not match %s", at, v, p)
		}
	case json.Number:
		if typ == "integer" && strings.ContainsAny(v.String(), ".eE") || typ != "" && typ != "integer" && typ != "number" {
			return fmt.Errorf("%s: %s is not of type %s", at, v, typ)
		}
		f, _ := v.Float64()
		if m, ok := s["minimum"].(json.Number); ok {
			if min, _ := m.Float64(); f < min {
				return fmt.Errorf("%s: %s below %s", at, v, m)
			}
		}
	case bool:
		if typ != "" && typ != "boolean" {
			return fmt.Errorf("%s: a boolean, want %s", at, typ)
		}
	case nil:
		if typ != "" && typ != "null" {
			return fmt.Errorf("%s: null, want %s", at, typ)
		}
	}
	return nil
}

func decodeNumbers(t *testing.T, data []byte) any {
	t.Helper()
	var x any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return x
}

// The answers of every JSON route, and the commands the tests send,
// match the document's schemas.
func TestOpenAPISchemasMatchTheAnswers(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed()
	ta.seedSwap()
	doc := loadDoc(t, ta)
	// check sends a request to route (its documented path) and validates
	// the request body and the answer against the document.
	check := func(route, method, path, who, body string) {
		t.Helper()
		rec := ta.do(method, path, who, body)
		op, ok := get(doc, "paths", route, strings.ToLower(method)).(map[string]any)
		if !ok {
			t.Fatalf("%s %s is not documented", method, route)
		}
		if body != "" && rec.Code == http.StatusOK { // refused bodies are not meant to match
			s := get(op, "requestBody", "content", "application/json", "schema").(map[string]any)
			if err := validate(doc, s, decodeNumbers(t, []byte(body)), "request"); err != nil {
				t.Errorf("%s %s request: %v", method, path, err)
			}
		}
		status := fmt.Sprint(rec.Code)
		resp, ok := get(op, "responses", status).(map[string]any)
		if !ok {
			t.Errorf("%s %s answered %d, which is not documented", method, path, rec.Code)
			return
		}
		if r, ok := resp["$ref"].(string); ok {
			resp = resolve(doc, r)
		}
		s := get(resp, "content", "application/json", "schema")
		if s == nil {
			return
		}
		if err := validate(doc, s.(map[string]any), decodeNumbers(t, rec.Body.Bytes()), "answer"); err != nil {
			t.Errorf("%s %s answer: %v\n%s", method, path, err, rec.Body)
		}
		headers, _ := get(resp, "headers").(map[string]any)
		for h := range headers {
			if rec.Header().Get(h) == "" {
				t.Errorf("%s %s: documented header %s missing", method, path, h)
			}
		}
	}
	check("/v1/commands", "POST", "/v1/commands", "admin", `{"op":"check"}`)
	check("/v1/commands", "POST", "/v1/commands", "bob", `[{"op":"openCover","args":{"pool":0,"amount":"1000000","premiums":1000000}},
		{"op":"updateCover","args":{"cover":0,"premiumsToRemove":"max"}},{"op":"openClaim","args":{"cover":5,"amount":"1"}}]`)
	check("/v1/commands", "POST", "/v1/commands", "admin", `[{"op":"setCompatibility","args":{"pairs":[[0,0,true]]}},
		{"op":"setMarket","args":{"withdrawDelay":60,"leverageFeePerPool":"1.5"}},{"op":"updatePoolConfig","args":{"pool":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15"}}]`)
	check("/v1/commands", "POST", "/v1/commands", "arbiter", `{"op":"resolveClaim","args":{"claim":0,"accept":true}}`)
	check("/v1/commands", "POST", "/v1/commands", "admin", `{"op":"nope"}`)
	check("/v1/pools", "GET", "/v1/pools", "alice", "")
	check("/v1/pools/{id}", "GET", "/v1/pools/0", "alice", "")
	check("/v1/pools/{id}", "GET", "/v1/pools/4", "alice", "")
	check("/v1/covers/{id}", "GET", "/v1/covers/0", "bob", "")
	check("/v1/covers/{id}", "GET", "/v1/covers/0", "alice", "")
	check("/v1/positions/{id}", "GET", "/v1/positions/0", "alice", "")
	check("/v1/claims/{id}", "GET", "/v1/claims/0", "bob", "")
	check("/v1/claims/{id}", "GET", "/v1/claims/0", "alice", "")
	check("/v1/claims/{id}", "GET", "/v1/claims/7", "arbiter", "")
	check("/v1/claims", "GET", "/v1/claims", "arbiter", "")
	check("/v1/claims", "GET", "/v1/claims?status=nope", "admin", "")
	check("/v1/accounts/{name}", "GET", "/v1/accounts/bob", "bob", "")
	check("/v1/state", "GET", "/v1/state", "admin", "")
	check("/v1/quote/cover", "POST", "/v1/quote/cover", "bob", `{"pool":0,"amount":"1000000","duration":86400}`)
	check("/v1/quote/cover", "POST", "/v1/quote/cover", "bob", `{"pool":0,"amount":"100000000000","premiums":"1"}`)
	check("/v1/events", "GET", "/v1/events?after=2&limit=3", "admin", "")
	check("/v1/swap/pairs", "GET", "/v1/swap/pairs", "bob", "")
	check("/v1/swap/pairs/{id}", "GET", "/v1/swap/pairs/0", "bob", "")
	check("/v1/swap/pairs/{id}", "GET", "/v1/swap/pairs/5", "bob", "")
	check("/v1/swap/quote", "POST", "/v1/swap/quote", "bob", `{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000"}`)
	check("/v1/swap/quote", "POST", "/v1/swap/quote", "bob", `{"tokenIn":"USDC","tokenOut":"WETH","amountOut":"1000","route":{"native":0}}`)
	check("/v1/swap/quote", "POST", "/v1/swap/quote", "bob", `{"tokenIn":"USDC","tokenOut":"WETH","amountOut":"1000000"}`)
	check("/v1/commands", "POST", "/v1/commands", "alice", `[{"op":"swap","args":{"tokenIn":"WETH","tokenOut":"USDC","amountIn":"10","deadline":1800000000}},
		{"op":"pairWithdraw","args":{"tokenA":"USDC","tokenB":"WETH","shares":"5","minA":"1"}}]`)
	check("/v1/commands", "POST", "/v1/commands", "admin", `[{"op":"setMarket","args":{"blockTime":12}},{"op":"setPairFee","args":{"pair":0,"fee":990,"vFee":995}},
		{"op":"setMaxReserveRatio","args":{"pair":0,"value":"3000"}},{"op":"quote","args":{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1","route":{"jk":0,"ik":0}}}]`)
	check("/v1/swap/quote", "POST", "/v1/swap/quote?slippageBps=50", "bob", `{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"1000"}`)
	check("/v1/market", "GET", "/v1/market", "bob", "")
	check("/v1/swap/pairs/{id}/history", "GET", "/v1/swap/pairs/0/history", "bob", "")
	check("/v1/swap/vpools", "GET", "/v1/swap/vpools?in=USDC&out=WETH", "bob", "")
	check("/v1/swap/preview", "POST", "/v1/swap/preview", "alice", `{"op":"pairDeposit","args":{"tokenA":"USDC","tokenB":"WETH","amountA":"1000","amountB":"5000"}}`)
	check("/v1/swap/preview", "POST", "/v1/swap/preview", "alice", `{"op":"swap","args":{"tokenIn":"USDC","tokenOut":"WETH","amountIn":"100000000"}}`)
	check("/v1/state", "GET", "/v1/state", "arbiter", "")
	check("/v1/whoami", "GET", "/v1/whoami", "bob", "")
	check("/v1/whoami", "GET", "/v1/whoami", "", "")
}

// The documented args of every op are ones scenario.DecodeStep accepts.
func TestOpenAPIOpArgsMatchDecode(t *testing.T) {
	samples := map[string]string{"string": `"x"`, "boolean": `true`, "integer": `1`, "array": `[]`, "object": `{}`}
	for op, args := range opArgs {
		for name, s := range args {
			sample := `"1"`
			if typ, ok := s["type"].(string); ok {
				sample = samples[typ]
			}
			_, err := scenario.DecodeStep(op, json.RawMessage(`{"`+name+`":`+sample+`}`))
			if err != nil && strings.Contains(err.Error(), "unknown field") {
				t.Errorf("%s: documented arg %s is unknown to Decode: %v", op, name, err)
			}
			if err != nil && strings.Contains(err.Error(), "cannot unmarshal") {
				t.Errorf("%s: documented arg %s has the wrong type: %v", op, name, err)
			}
		}
		if _, err := scenario.DecodeStep(op, json.RawMessage(`{"undocumented":1}`)); err == nil {
			t.Errorf("%s accepts an unknown arg", op)
		}
	}
}

// The validator itself rejects what it should.
func TestSchemaValidatorRejects(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{})
	doc := loadDoc(t, ta)
	for _, c := range []struct{ schema, value string }{
		{"Pool", `{"id":0,"bogus":1}`},
		{"Cover", `{"id":0}`},
		{"Outcome", `{"seq":1,"at":1,"op":"check","ok":"yes"}`},
		{"Command", `{"op":"openCover","args":{"pool":0,"amount":"-1"}}`},
		{"Command", `{"op":"check","args":{"x":1}}`},
		{"CoverQuote", `[]`},
		{"Claim", `{"id":0,"cover":0,"pool":0,"owner":"bob","amount":"1","status":"pending","compensation":-1}`},
	} {
		if validate(doc, ref(c.schema), decodeNumbers(t, []byte(c.value)), c.schema) == nil {
			t.Errorf("%s accepts %s", c.schema, c.value)
		}
	}
}

// The documented args of every op are exactly the decoder's, and the
// Command schema requires what the decoder requires (but the account a
// user acts as, which the server sets).
func TestOpenAPIOpArgsAreTheDecodersArgs(t *testing.T) {
	for op, documented := range opArgs {
		required, optional, ok := scenario.OpArgs(op)
		if !ok {
			t.Errorf("%s is documented but not decoded", op)
			continue
		}
		if got, want := slices.Sorted(maps.Keys(documented)), slices.Sorted(slices.Values(append(slices.Clone(required), optional...))); !slices.Equal(got, want) {
			t.Errorf("%s: documented args %v, decoded args %v", op, got, want)
		}
		schemaRequired, _ := opArgsSchema(op)["required"].([]string)
		for _, name := range required {
			if name != opPolicies[op].actor && !slices.Contains(schemaRequired, name) {
				t.Errorf("%s: %s is required by the decoder, not by the schema %v", op, name, schemaRequired)
			}
		}
	}
}
