package server

// seedSwap adds WETH and pair 0 (USDC/WETH) holding 1,000,000 of each
// from alice, through the API (the handler must run with Dev for mint).
func (ta *testAPI) seedSwap() {
	ta.t.Helper()
	ta.submit("admin", `{"op":"addAsset","args":{"symbol":"WETH","decimals":18}}`,
		`{"op":"createPair","args":{"tokenA":"USDC","tokenB":"WETH"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"1000000"}}`,
		`{"op":"mint","args":{"to":"alice","asset":"WETH","amount":"1000000"}}`)
	ta.submit("alice", `{"op":"pairDeposit","args":{"tokenA":"USDC","tokenB":"WETH","amountA":"1000000","amountB":"1000000"}}`)
}
