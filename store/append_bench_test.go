package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAppend is the cost of making one record durable in batches of
// 1, 16 and 64 records (ns/op is per record; each batch is one commit and
// one fsync).
func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("batch%d", size), func(b *testing.B) {
			s, err := OpenSQLite(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			var chain Chain
			var seq uint64
			batch := make([]Record, size)
			args := []byte(`{"pool":3,"amount":"1000000000","premiums":"20000000","owner":"bench-user-7"}`)
			outcome := []byte(`{"seq":0,"at":1795258737,"op":"openCover","ok":true,"result":{"cover":1234}}`)
			b.ResetTimer()
			for done := 0; done < b.N; done += size {
				for i := range batch {
					seq++
					batch[i] = Record{Seq: seq, At: 1_795_258_737, Op: "openCover", Args: args, Outcome: outcome}
				}
				if chain, err = s.Append(ctx, chain, batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
