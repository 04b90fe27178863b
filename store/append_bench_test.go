package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpool/vpool/internal/pgtest"
)

// BenchmarkAppend is the cost of making one record durable in batches of
// 1, 16 and 64 records (ns/op is per record; each batch is one commit),
// on SQLite (one fsync per batch) and on the tests' PostgreSQL (one round
// trip per batch; that server runs with fsync off, so this measures the
// statement, not the disk).
func BenchmarkAppend(b *testing.B) {
	open := map[string]func(b *testing.B) Store{
		"sqlite": func(b *testing.B) Store {
			s, err := OpenSQLite(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
		"postgres": func(b *testing.B) Store {
			p, err := OpenPostgres(context.Background(), pgtest.URL(b))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Lead(context.Background(), LeaseOptions{Holder: "bench"}, false); err != nil {
				b.Fatal(err)
			}
			return p
		},
	}
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, size := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/batch%d", backend, size), func(b *testing.B) {
				s := open[backend](b)
				defer s.Close()
				ctx := context.Background()
				var chain Chain
				var seq uint64
				var err error
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
}
