package server

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkHTTPReadPool is the handler's cost for an authenticated read
// (no network): key cache, read lock, view, JSON, metrics.
func BenchmarkHTTPReadPool(b *testing.B) {
	ta := newTestAPI(b, HandlerOptions{Dev: true})
	ta.seed()
	token := "Bearer " + ta.keys["alice"]
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/v1/pools/0", nil)
			req.Header.Set("Authorization", token)
			rec := httptest.NewRecorder()
			ta.h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
		}
	})
}
