package hectorsim

import (
	"fmt"
	"slices"
	"testing"
)

func TestMergeSorted(t *testing.T) {
	tests := []struct{ s, add, want []int64 }{
		{nil, []int64{1, 2}, []int64{1, 2}},
		{[]int64{1, 2}, []int64{3}, []int64{1, 2, 3}},
		{[]int64{5, 6}, []int64{1, 2}, []int64{1, 2, 5, 6}},
		{[]int64{2, 4, 6}, []int64{1, 3, 5, 7}, []int64{1, 2, 3, 4, 5, 6, 7}},
		{[]int64{1, 9}, []int64{4}, []int64{1, 4, 9}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.s, tt.add), func(t *testing.T) {
			if got := mergeSorted(slices.Clone(tt.s), tt.add); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
