package provision

import (
	"context"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// Outcome is what became of one fix of scim-report --apply.
type Outcome int

// The outcomes of a fix.
const (
	// Written: Hector accepted the fix.
	Written Outcome = iota
	// Stale: the user changed (or went) since the report; nothing written.
	Stale
	// Failed: Hector refused the write, or could not be reached.
	Failed
)

// ApplyFixes writes the fixes of a drift report (scim-report --apply)
// through the write path of SCIM requests: each user is locked, read again,
// and written with a full-replace PUT that carries every other field as
// it is, with an audit line per write. A fix is written only while the
// fresh record still calls for exactly it (d.Fix), so a user changed since
// the report is left alone. Fixes run a few at a time; done, when not nil,
// is called once per fix, never concurrently. It returns the first error,
// after the fixes already under way finished.
func (s *Service) ApplyFixes(ctx context.Context, d *translate.Drift, fixes []translate.Fix, done func(translate.Fix, Outcome, error)) error {
	byID := make(map[int64]translate.Fix, len(fixes))
	ids := make([]int64, 0, len(fixes))
	for _, f := range fixes {
		byID[f.UserID] = f
		ids = append(ids, f.UserID)
	}
	var mu sync.Mutex
	return forEach(ctx, ids, func(ctx context.Context, id int64) error {
		f := byID[id]
		out, err := s.applyFix(ctx, d, f)
		if done != nil {
			mu.Lock()
			done(f, out, err)
			mu.Unlock()
		}
		return err
	})
}

func (s *Service) applyFix(ctx context.Context, d *translate.Drift, f translate.Fix) (Outcome, error) {
	defer s.locks.lock("user", f.UserID)()
	raw, err := s.hector.GetUser(ctx, f.UserID)
	if legacyclient.IsNotFound(err) {
		return Stale, nil
	}
	if err != nil {
		return Failed, err
	}
	if again, ok := d.Fix(raw); !ok || !again.Same(f) {
		return Stale, nil
	}
	if _, err := s.writeRecord(ctx, raw, f.Fields(), "update"); err != nil {
		return Failed, err
	}
	return Written, nil
}
