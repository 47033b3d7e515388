/** @module Row types of segments (rule-based audiences), their current members and their jobs' progress. */

export interface SegmentRow {
  /** `seg_…` */
  id: string;
  name: string;
  description: string | null;
  /** The rule as validated (see segment.rules.ts). */
  rule: unknown;
  /** Kept equal to the number of segment_members rows by every evaluation. */
  member_count: number;
  /** When the whole segment was last evaluated (creation, rule change, the periodic re-evaluation). */
  evaluated_at: number;
  created_at: number;
  updated_at: number;
}

/** One row per (segment, active customer) matching the rule now. */
export interface SegmentMemberRow {
  segment_id: string;
  customer_id: string;
  /** When the customer entered the segment (this time). */
  since: number;
}

/** Progress of the segment jobs, so they resume where they stopped and never run twice at once. */
export interface SegmentJobRow {
  /** `tracking` (newest received_at scanned) | `reevaluate` (last full re-evaluation). */
  name: string;
  /** Epoch ms: how far the job got. */
  position: number;
  updated_at: number;
}

export interface SegmentsTables {
  segments: SegmentRow;
  segment_members: SegmentMemberRow;
  segment_jobs: SegmentJobRow;
}
