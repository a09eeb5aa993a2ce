package hectorsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// load reads the data file at path into the empty store st; a missing file
// is an empty state.
func (st *Store) load(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("data file: %w", err)
	}
	var d fileData
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("data file %s: %w", path, err)
	}
	if d.Version != fileVersion {
		return fmt.Errorf("data file %s: version %d, want %d", path, d.Version, fileVersion)
	}
	if err := st.restore(&d); err != nil {
		return fmt.Errorf("data file %s: %w", path, err)
	}
	return nil
}

// restore fills the empty store from d, checking ids, uniqueness and
// memberships as the API would have.
func (st *Store) restore(d *fileData) error {
	for _, fu := range d.Users {
		if err := st.restoreUser(fu); err != nil {
			return err
		}
	}
	for _, fg := range d.Groups {
		if err := st.restoreGroup(fg); err != nil {
			return err
		}
	}
	st.nextUserID = max(st.nextUserID, d.NextUserID)
	st.nextGroupID = max(st.nextGroupID, d.NextGroupID)
	return nil
}

func (st *Store) restoreUser(fu fileUser) error {
	if fu.ID < st.nextUserID || fu.Fields.Username == "" || fu.Fields.Email == "" || fu.Fields.Identifier == "" {
		return fmt.Errorf("user %d: id out of order or required field empty", fu.ID)
	}
	if taken := st.userConflicts(&fu.Fields, 0); taken != nil {
		return fmt.Errorf("user %d: unique field already taken", fu.ID)
	}
	u := &user{
		id: fu.ID, fields: fu.Fields, groups: make(map[int64]struct{}),
		createdAt: clock(fu.CreatedAt), updatedAt: clock(fu.UpdatedAt),
	}
	st.users[u.id] = u
	st.userIDs = append(st.userIDs, u.id)
	st.indexUser(u, false)
	st.nextUserID = u.id + 1
	return nil
}

func (st *Store) restoreGroup(fg fileGroup) error {
	if fg.ID < st.nextGroupID || fg.Name == "" {
		return fmt.Errorf("group %d: id out of order or name empty", fg.ID)
	}
	if st.groupConflicts(fg.Name, fg.ExternalID, 0) != nil {
		return fmt.Errorf("group %d: unique field already taken", fg.ID)
	}
	g := &group{
		id: fg.ID, name: fg.Name, externalID: fg.ExternalID,
		createdAt: clock(fg.CreatedAt), updatedAt: clock(fg.UpdatedAt),
	}
	for i, uid := range fg.Members {
		u, ok := st.users[uid]
		if !ok || (i > 0 && uid <= fg.Members[i-1]) {
			return fmt.Errorf("group %d: member %d unknown or out of order", fg.ID, uid)
		}
		u.groups[g.id] = struct{}{}
	}
	g.members = append([]int64(nil), fg.Members...)
	st.groups[g.id] = g
	st.grpIDs = append(st.grpIDs, g.id)
	st.byGroupName.put(g.name, g.id)
	st.byGroupExt.put(g.externalID, g.id)
	st.nextGroupID = g.id + 1
	return nil
}
