package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// entraResult is the Entra initial cycle against a rate-limited Hector.
type entraResult struct {
	users, groups int
	rate          float64
	burst         int
	sidecarRate   float64 // the sidecar's own legacy rate and burst
	sidecarBurst  int
	elapsed       time.Duration
	calls         int64 // Hector calls, 429s included
	rateLimited   int64 // Hector's 429s
	minimal       int64 // the fewest Hector calls the cycle needs
	idpRetries    int64 // SCIM requests the IdP had to send again (429, 503)
	membersOK     bool  // every group holds every user in Hector
}

// minTime is the least time the minimal calls take at the rate, the
// first burst calls being free.
func (e *entraResult) minTime() time.Duration {
	return minimalTime(e.minimal, e.rate, e.burst)
}

// ratio is elapsed over the minimal time; 0 when that is zero.
func (e *entraResult) ratio() float64 {
	if mt := e.minTime(); mt > 0 {
		return e.elapsed.Seconds() / mt.Seconds()
	}
	return 0
}

// minimalCalls is the Hector calls of the cycle: a lookup and a create per
// user; per group a lookup, a create, a read of the group and one member
// call per 100 users.
func minimalCalls(users, groups int) int64 {
	return int64(2*users + groups*(3+(users+99)/100))
}

func minimalTime(calls int64, rate float64, burst int) time.Duration {
	free := max(0, calls-int64(burst))
	return time.Duration(float64(free) / rate * float64(time.Second))
}

// runEntra provisions users and groups as Entra's initial cycle does,
// through a fresh sidecar and simulator, and times it.
func runEntra(ctx context.Context, cfg config, bin, tmp string, logw io.Writer) (*entraResult, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.EntraTimeout)
	defer cancel()
	srv, err := startSim(hectorsim.Options{Rate: cfg.EntraRate, Burst: cfg.EntraBurst})
	if err != nil {
		return nil, err
	}
	defer srv.close()
	dir := filepath.Join(tmp, "entra")
	lp, err := logPath(cfg, tmp, "entra")
	if err == nil {
		err = os.Mkdir(dir, 0o700)
	}
	if err != nil {
		return nil, err
	}
	sc, err := startSidecar(ctx, bin, dir, sidecarConfig{simURL: srv.url, rate: cfg.EntraSidecarRate, burst: cfg.EntraSidecarBurst, retries: 5, logPath: lp})
	if err != nil {
		return nil, err
	}
	defer sc.stop()
	idp := &idpClient{t: scimTarget(sc.base, cfg.EntraConcurrency), run: runID(), conc: cfg.EntraConcurrency}
	defer idp.t.close()
	r := &entraResult{users: cfg.EntraUsers, groups: cfg.EntraGroups, rate: cfg.EntraRate, burst: cfg.EntraBurst, sidecarRate: cfg.EntraSidecarRate, sidecarBurst: cfg.EntraSidecarBurst,
		minimal: minimalCalls(cfg.EntraUsers, cfg.EntraGroups)}
	srv.sim.SetRateLimit(cfg.EntraRate, cfg.EntraBurst) // a full bucket
	srv.sim.ResetStats()
	t0 := time.Now()
	ids, err := idp.provisionUsers(ctx, cfg.EntraUsers)
	var gids []int64
	if err == nil {
		progress(logw, "Entra cycle: %d users in %s, now the groups", len(ids), time.Since(t0).Round(time.Millisecond))
		gids, err = idp.provisionGroups(ctx, ids, cfg.EntraGroups)
	}
	r.elapsed = time.Since(t0)
	st := srv.sim.Stats()
	r.calls, r.rateLimited, r.idpRetries = st.Requests, st.RateLimited, idp.retries.Load()
	if err != nil {
		return r, fmt.Errorf("entra cycle: %w", err)
	}
	r.membersOK = len(gids) == cfg.EntraGroups
	for _, gid := range gids {
		r.membersOK = r.membersOK && len(srv.sim.Members(gid)) == len(ids)
	}
	return r, nil
}

// idpClient sends what Entra sends, conc requests at a time.
type idpClient struct {
	t       *target
	run     string
	conc    int
	retries atomic.Int64
}

// send is one SCIM request; like Entra, it retries a 429 or 503 after
// Retry-After (at most 5 times).
func (c *idpClient) send(ctx context.Context, method, path string, body []byte, want int) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		b, err := c.t.do(ctx, method, path, body, want, true)
		var se *statusError
		if err == nil || attempt == 5 || !errors.As(err, &se) || (se.status != http.StatusTooManyRequests && se.status != http.StatusServiceUnavailable) {
			return b, err
		}
		c.retries.Add(1)
		wait := time.Second
		if n, perr := strconv.Atoi(se.retryAfter); perr == nil && n >= 0 && n <= 30 {
			wait = time.Duration(n) * time.Second
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// provisionUsers looks each user up by userName, then creates it; it
// returns the new ids in order.
func (c *idpClient) provisionUsers(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, n)
	err := forEachIndex(ctx, n, c.conc, func(ctx context.Context, i int) error {
		name := fmt.Sprintf("entra-%s-%d@contoso.example", c.run, i)
		q := url.QueryEscape(`userName eq "` + name + `"`)
		b, err := c.send(ctx, http.MethodGet, "/Users?filter="+q, nil, http.StatusOK)
		if err != nil {
			return err
		}
		if got := gjson.GetBytes(b, "totalResults").Int(); got != 0 {
			return fmt.Errorf("lookup of new user %s: %d results", name, got)
		}
		body := fmt.Appendf(nil, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],`+
			`"externalId":"%s-%d","userName":%q,"active":true,"displayName":"Entra User %d",`+
			`"emails":[{"primary":true,"type":"work","value":%q}],"name":{"formatted":"Entra User %d","familyName":"User %d","givenName":"Entra"},`+
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E%s-%d","department":"R&D"}}`,
			c.run, i, name, i, name, i, i, c.run, i)
		if b, err = c.send(ctx, http.MethodPost, "/Users", body, http.StatusCreated); err != nil {
			return err
		}
		ids[i] = gjson.GetBytes(b, "id").Int()
		return nil
	})
	return ids, err
}

// provisionGroups looks each group up by displayName, creates it, and adds
// every user in one PATCH.
func (c *idpClient) provisionGroups(ctx context.Context, users []int64, n int) ([]int64, error) {
	members := make([]string, len(users))
	for i, id := range users {
		members[i] = `{"value":"` + itoa(id) + `"}`
	}
	patch := []byte(`{"schemas":["` + patchOpURN + `"],"Operations":[{"op":"Add","path":"members","value":[` + strings.Join(members, ",") + `]}]}`)
	gids := make([]int64, n)
	err := forEachIndex(ctx, n, c.conc, func(ctx context.Context, j int) error {
		name := fmt.Sprintf("entra-%s-group-%d", c.run, j)
		q := url.QueryEscape(`displayName eq "` + name + `"`)
		b, err := c.send(ctx, http.MethodGet, "/Groups?excludedAttributes=members&filter="+q, nil, http.StatusOK)
		if err != nil {
			return err
		}
		if got := gjson.GetBytes(b, "totalResults").Int(); got != 0 {
			return fmt.Errorf("lookup of new group %s: %d results", name, got)
		}
		body := fmt.Appendf(nil, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"%s-g%d","displayName":%q,"members":[]}`, c.run, j, name)
		if b, err = c.send(ctx, http.MethodPost, "/Groups", body, http.StatusCreated); err != nil {
			return err
		}
		gids[j] = gjson.GetBytes(b, "id").Int()
		_, err = c.send(ctx, http.MethodPatch, "/Groups/"+itoa(gids[j]), patch, http.StatusNoContent)
		return err
	})
	return gids, err
}

// forEachIndex runs fn for 0..n-1, conc at a time, and returns the first
// error (the rest are cancelled).
func forEachIndex(ctx context.Context, n, conc int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next  atomic.Int64
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	for range min(conc, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
