package provision

import (
	"context"
	"sync"
)

// workers bounds the concurrent Hector calls one SCIM request makes for
// per-user work; the legacy client's rate limit and in-flight cap still
// apply.
const workers = 8

// forEach runs fn for each id with bounded concurrency and returns the
// first error.
func forEach(parent context.Context, ids []int64, fn func(context.Context, int64) error) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int64)
	)
	for range min(workers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				if err := fn(ctx, id); err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = parent.Err()
	}
	return first
}
