-- The DNS firewall feed (RPZ): each operator's zone, per TLP ceiling, keeps
-- a serial that grows by one whenever what the zone blocks changes. The feed's
-- own change_seq never leaves the API (its gaps would count other operators'
-- TLP:RED changes), so the zone's serial counts the changes its reader saw.
CREATE TABLE rpz_zone_serials (
  operator_id  text NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  max_tlp      text NOT NULL CHECK (max_tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
  serial       bigint NOT NULL CHECK (serial BETWEEN 1 AND 4294967295),
  -- SHA-256 of the names the zone held at that serial
  digest       text NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operator_id, max_tlp)
);
