package hectorsim

// SeedUser is one user for [Server.Seed]: the writable fields of the
// contract. Username, Email and Identifier are required; Status and Role
// default as on create.
type SeedUser struct {
	Username, Email, Identifier string
	FirstName, LastName         string
	ExternalID                  string // "" is null
	Status, Role                string
	Title, Department           string
	Phone, Locale               string
}

// SeedGroup is one group for [Server.Seed]; Members are user ids,
// ascending, of users that exist once the seed's users are in.
type SeedGroup struct {
	Name       string
	ExternalID string // "" is null
	Members    []int64
}

// Seed adds users and groups straight to the store, bypassing HTTP, as the
// data file loader does and with its checks (required fields, every
// uniqueness rule, memberships): thousands of users in milliseconds
// instead of one POST each, for tests and benchmarks. Ids follow on from
// the store's last ones, in order: it returns the ids of the first user
// and the first group (in an empty store, 1 and 1). On an error the store
// keeps the users and groups before the one that failed.
func (s *Server) Seed(users []SeedUser, groups []SeedGroup) (firstUser, firstGroup int64, err error) {
	st := s.store
	now := s.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	firstUser, firstGroup = st.nextUserID, st.nextGroupID
	d := fileData{Version: fileVersion, Users: make([]fileUser, len(users)), Groups: make([]fileGroup, len(groups))}
	for i, u := range users {
		f := userFields{
			Username: u.Username, Email: u.Email, Identifier: u.Identifier, FirstName: u.FirstName, LastName: u.LastName,
			ExternalID: u.ExternalID, Status: u.Status, Role: u.Role, Title: u.Title, Department: u.Department,
			Phone: u.Phone, Locale: u.Locale,
		}
		if f.Status == "" {
			f.Status = "active"
		}
		if f.Role == "" {
			f.Role = s.opts.DefaultRole
		}
		d.Users[i] = fileUser{ID: firstUser + int64(i), Fields: f, CreatedAt: now, UpdatedAt: now}
	}
	for i, g := range groups {
		d.Groups[i] = fileGroup{ID: firstGroup + int64(i), Name: g.Name, ExternalID: g.ExternalID, Members: g.Members, CreatedAt: now, UpdatedAt: now}
	}
	err = st.restore(&d)
	st.changed()
	return firstUser, firstGroup, err
}
