BEGIN;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE "person" (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	handle VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	skills VARCHAR NOT NULL, 
	weekly_capacity_hours BIGINT NOT NULL, 
	cost_rate BIGINT NOT NULL, 
	cost_currency VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_person PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_person_handle ON person (handle);
CREATE TABLE "stakeholder" (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	organisation VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	email VARCHAR NOT NULL, 
	phone VARCHAR NOT NULL, 
	channel VARCHAR NOT NULL, 
	cadence VARCHAR NOT NULL, 
	influence INTEGER NOT NULL, 
	interest INTEGER NOT NULL, 
	notes VARCHAR NOT NULL, 
	version INTEGER NOT NULL, digest BOOLEAN DEFAULT 0 NOT NULL, 
	CONSTRAINT pk_stakeholder PRIMARY KEY (id)
);
CREATE TABLE "project" (
	id INTEGER NOT NULL, 
	code VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	client VARCHAR NOT NULL, 
	sponsor VARCHAR NOT NULL, 
	manager_id INTEGER, 
	phase VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	start_date DATE, 
	end_date DATE, 
	baseline_start DATE, 
	baseline_end DATE, 
	baseline_set_on DATE, 
	objective VARCHAR NOT NULL, 
	scope VARCHAR NOT NULL, 
	kpis VARCHAR NOT NULL, 
	currency VARCHAR NOT NULL, 
	signed_off_by VARCHAR NOT NULL, 
	signed_off_on DATE, 
	closing_override VARCHAR NOT NULL, 
	lessons VARCHAR NOT NULL, 
	archived BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	version INTEGER NOT NULL, work_hours VARCHAR DEFAULT '' NOT NULL, 
	CONSTRAINT pk_project PRIMARY KEY (id), 
	CONSTRAINT fk_project_manager_id_person FOREIGN KEY(manager_id) REFERENCES person (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ix_project_code ON project (code);
CREATE TABLE "activity" (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	user VARCHAR NOT NULL, 
	project_id INTEGER, 
	entity VARCHAR NOT NULL, 
	entity_id INTEGER, 
	action VARCHAR NOT NULL, 
	field VARCHAR NOT NULL, 
	old_value VARCHAR NOT NULL, 
	new_value VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, change BIGINT, 
	CONSTRAINT pk_activity PRIMARY KEY (id), 
	CONSTRAINT fk_activity_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE SET NULL
);
CREATE INDEX ix_activity_project_at ON activity (project_id, at);
CREATE TABLE "budgetline" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	category VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	amount BIGINT NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_budgetline PRIMARY KEY (id), 
	CONSTRAINT fk_budgetline_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_budgetline_project_id ON budgetline (project_id);
CREATE TABLE "changerequest" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	requested_by VARCHAR NOT NULL, 
	requested_on DATE NOT NULL, 
	description VARCHAR NOT NULL, 
	cost_impact BIGINT NOT NULL, 
	schedule_impact_days INTEGER NOT NULL, 
	status VARCHAR NOT NULL, 
	decided_by VARCHAR NOT NULL, 
	decided_on DATE, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_changerequest PRIMARY KEY (id), 
	CONSTRAINT fk_changerequest_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_changerequest_project_id ON changerequest (project_id);
CREATE TABLE "communicationentry" (
	id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	project_id INTEGER, 
	logged_on DATE NOT NULL, 
	channel VARCHAR NOT NULL, 
	"by" VARCHAR NOT NULL, 
	summary VARCHAR NOT NULL, version INTEGER DEFAULT '1' NOT NULL, kind VARCHAR DEFAULT '' NOT NULL, body VARCHAR DEFAULT '' NOT NULL, 
	CONSTRAINT pk_communicationentry PRIMARY KEY (id), 
	CONSTRAINT fk_communicationentry_stakeholder_id_stakeholder FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id) ON DELETE CASCADE, 
	CONSTRAINT fk_communicationentry_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE SET NULL
);
CREATE TABLE "deliverable" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	acceptance_criteria VARCHAR NOT NULL, 
	due_date DATE, 
	accepted_by VARCHAR NOT NULL, 
	accepted_on DATE, 
	acceptance_note VARCHAR NOT NULL, version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_deliverable PRIMARY KEY (id), 
	CONSTRAINT fk_deliverable_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_deliverable_project_id ON deliverable (project_id);
CREATE TABLE "holiday" (
	id INTEGER NOT NULL, 
	project_id INTEGER, 
	day DATE NOT NULL, 
	name VARCHAR NOT NULL, 
	CONSTRAINT pk_holiday PRIMARY KEY (id), 
	CONSTRAINT fk_holiday_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_holiday_day ON holiday (day);
CREATE TABLE "ledgerentry" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	entry_date DATE NOT NULL, 
	vendor VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	amount BIGINT NOT NULL, 
	kind VARCHAR NOT NULL, 
	invoice_ref VARCHAR NOT NULL, 
	version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_ledgerentry PRIMARY KEY (id), 
	CONSTRAINT fk_ledgerentry_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE TABLE "progresssnapshot" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	remaining_hours BIGINT NOT NULL, 
	remaining_tasks INTEGER NOT NULL, 
	percent_complete INTEGER NOT NULL, 
	CONSTRAINT pk_progresssnapshot PRIMARY KEY (id), 
	CONSTRAINT uq_progresssnapshot_project_id_day UNIQUE (project_id, day), 
	CONSTRAINT fk_progresssnapshot_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE TABLE "projectstakeholder" (
	project_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	role VARCHAR NOT NULL, 
	CONSTRAINT pk_projectstakeholder PRIMARY KEY (project_id, stakeholder_id), 
	CONSTRAINT fk_projectstakeholder_stakeholder_id_stakeholder FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id) ON DELETE CASCADE, 
	CONSTRAINT fk_projectstakeholder_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE TABLE "risk" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	category VARCHAR NOT NULL, 
	probability INTEGER NOT NULL, 
	impact INTEGER NOT NULL, 
	owner_id INTEGER, 
	response VARCHAR NOT NULL, 
	mitigation VARCHAR NOT NULL, 
	contingency VARCHAR NOT NULL, 
	"trigger" VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	raised_on DATE, 
	review_date DATE, 
	residual_probability INTEGER, 
	residual_impact INTEGER, 
	version INTEGER NOT NULL, 
	CONSTRAINT pk_risk PRIMARY KEY (id), 
	CONSTRAINT fk_risk_owner_id_person FOREIGN KEY(owner_id) REFERENCES person (id) ON DELETE SET NULL, 
	CONSTRAINT fk_risk_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_risk_project_id ON risk (project_id);
CREATE TABLE "task" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	parent_id INTEGER, 
	sort_order INTEGER NOT NULL, 
	wbs VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	is_milestone BOOLEAN NOT NULL, 
	planned_start DATE, 
	planned_finish DATE, 
	baseline_start DATE, 
	baseline_finish DATE, 
	actual_start DATE, 
	actual_finish DATE, 
	estimate_hours BIGINT NOT NULL, 
	remaining_hours BIGINT NOT NULL, 
	percent_complete INTEGER NOT NULL, 
	status VARCHAR NOT NULL, 
	assignee_id INTEGER, 
	needs_downtime BOOLEAN NOT NULL, 
	blocked_reason VARCHAR NOT NULL, 
	version INTEGER NOT NULL, is_manual BOOLEAN DEFAULT 0 NOT NULL, constraint_kind VARCHAR DEFAULT '' NOT NULL, constraint_date DATE, deadline DATE, is_elapsed BOOLEAN DEFAULT 0 NOT NULL, work_minutes INTEGER, start_time TIME, 
	CONSTRAINT pk_task PRIMARY KEY (id), 
	CONSTRAINT fk_task_assignee_id_person FOREIGN KEY(assignee_id) REFERENCES person (id) ON DELETE SET NULL, 
	CONSTRAINT fk_task_parent_id_task FOREIGN KEY(parent_id) REFERENCES task (id) ON DELETE CASCADE, 
	CONSTRAINT fk_task_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_assignee_id ON task (assignee_id);
CREATE INDEX ix_task_project_order ON task (project_id, sort_order);
CREATE INDEX ix_task_parent_id ON task (parent_id);
CREATE TABLE "dependency" (
	id INTEGER NOT NULL, 
	predecessor_id INTEGER NOT NULL, 
	successor_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	lag_days INTEGER NOT NULL, lag_minutes INTEGER, 
	CONSTRAINT pk_dependency PRIMARY KEY (id), 
	CONSTRAINT uq_dependency_predecessor_id_successor_id UNIQUE (predecessor_id, successor_id), 
	CONSTRAINT fk_dependency_successor_id_task FOREIGN KEY(successor_id) REFERENCES task (id) ON DELETE CASCADE, 
	CONSTRAINT fk_dependency_predecessor_id_task FOREIGN KEY(predecessor_id) REFERENCES task (id) ON DELETE CASCADE
);
CREATE INDEX ix_dependency_successor_id ON dependency (successor_id);
CREATE INDEX ix_dependency_predecessor_id ON dependency (predecessor_id);
CREATE TABLE "downtimewindow" (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	starts_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	systems VARCHAR NOT NULL, 
	approved BOOLEAN NOT NULL, 
	task_id INTEGER, 
	anchor_start DATE, 
	version INTEGER DEFAULT '1' NOT NULL, 
	CONSTRAINT pk_downtimewindow PRIMARY KEY (id), 
	CONSTRAINT fk_downtimewindow_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT fk_downtimewindow_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE SET NULL
);
CREATE INDEX ix_downtimewindow_project_id ON downtimewindow (project_id);
CREATE INDEX ix_downtimewindow_task_id ON downtimewindow (task_id);
CREATE TABLE schedulestate (
	project_id INTEGER NOT NULL, 
	inputs_revision INTEGER NOT NULL, 
	scheduled_revision INTEGER NOT NULL, 
	critical_path VARCHAR NOT NULL, 
	schedule_error VARCHAR NOT NULL, done_finish DATE, open_finish DATE, baseline_finish DATE, 
	CONSTRAINT pk_schedulestate PRIMARY KEY (project_id), 
	CONSTRAINT fk_schedulestate_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE TABLE taskschedule (
	task_id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	wbs VARCHAR NOT NULL, 
	start DATE, 
	finish DATE, 
	baseline_start DATE, 
	baseline_finish DATE, 
	percent INTEGER NOT NULL, 
	is_summary BOOLEAN NOT NULL, 
	critical BOOLEAN NOT NULL, open_kind INTEGER DEFAULT '0' NOT NULL, 
	CONSTRAINT pk_taskschedule PRIMARY KEY (task_id), 
	CONSTRAINT fk_taskschedule_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT fk_taskschedule_task_id_task FOREIGN KEY(task_id) REFERENCES task (id) ON DELETE CASCADE
);
CREATE INDEX ix_taskschedule_project_position ON taskschedule (project_id, position);
CREATE TRIGGER schedule_project_added AFTER INSERT ON project BEGIN INSERT OR IGNORE INTO schedulestate (project_id, inputs_revision, scheduled_revision, critical_path, schedule_error) VALUES (NEW.id, 1, 0, '', ''); END;
CREATE TRIGGER schedule_project_start AFTER UPDATE OF start_date, work_hours ON project WHEN OLD.start_date IS NOT NEW.start_date OR OLD.work_hours IS NOT NEW.work_hours BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id = NEW.id; END;
CREATE TRIGGER schedule_task_added AFTER INSERT ON task BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id = NEW.project_id; END;
CREATE TRIGGER schedule_task_removed AFTER DELETE ON task BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id = OLD.project_id; END;
CREATE TRIGGER schedule_link_added AFTER INSERT ON dependency BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id IN (SELECT project_id FROM task WHERE id IN (NEW.predecessor_id, NEW.successor_id)); END;
CREATE TRIGGER schedule_link_removed AFTER DELETE ON dependency BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id IN (SELECT project_id FROM task WHERE id IN (OLD.predecessor_id, OLD.successor_id)); END;
CREATE TRIGGER schedule_link_changed AFTER UPDATE ON dependency BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id IN (SELECT project_id FROM task WHERE id IN (OLD.predecessor_id, OLD.successor_id, NEW.predecessor_id, NEW.successor_id)); END;
CREATE TRIGGER schedule_holiday_added AFTER INSERT ON holiday BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE NEW.project_id IS NULL OR project_id = NEW.project_id; END;
CREATE TRIGGER schedule_holiday_removed AFTER DELETE ON holiday BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE OLD.project_id IS NULL OR project_id = OLD.project_id; END;
CREATE TRIGGER schedule_holiday_changed AFTER UPDATE ON holiday BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE OLD.project_id IS NULL OR NEW.project_id IS NULL OR project_id IN (OLD.project_id, NEW.project_id); END;
CREATE INDEX ix_ledger_project_kind_amount ON ledgerentry (project_id, kind, amount);
CREATE TABLE projecttotals (
	project_id INTEGER NOT NULL, 
	budget BIGINT NOT NULL, 
	actual BIGINT NOT NULL, 
	committed BIGINT NOT NULL, 
	leaf_count BIGINT NOT NULL, 
	leaf_percent BIGINT NOT NULL, 
	leaf_hours BIGINT NOT NULL, 
	leaf_earned BIGINT NOT NULL, 
	CONSTRAINT pk_projecttotals PRIMARY KEY (project_id), 
	CONSTRAINT fk_projecttotals_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE
);
CREATE INDEX ix_task_open_milestone ON task (project_id) WHERE is_milestone AND status != 'done';
CREATE TRIGGER totals_project_added AFTER INSERT ON project BEGIN INSERT OR IGNORE INTO projecttotals (project_id, budget, actual, committed, leaf_count, leaf_percent, leaf_hours, leaf_earned) SELECT p.id, (SELECT coalesce(sum(b.amount), 0) FROM budgetline b WHERE b.project_id = p.id), (SELECT coalesce(sum(e.amount), 0) FROM ledgerentry e WHERE e.project_id = p.id AND e.kind = 'actual'), (SELECT coalesce(sum(e.amount), 0) FROM ledgerentry e WHERE e.project_id = p.id AND e.kind = 'committed'), (SELECT count(t.percent_complete) FROM task t WHERE t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)), (SELECT coalesce(sum(t.percent_complete), 0) FROM task t WHERE t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)), (SELECT coalesce(sum(t.estimate_hours), 0) FROM task t WHERE t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)), (SELECT coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = p.id AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) FROM project p WHERE p.id = NEW.id; END;
CREATE TRIGGER totals_task_adding BEFORE INSERT ON task WHEN NEW.parent_id IS NOT NULL BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count - coalesce(count(t.percent_complete), 0), leaf_percent - coalesce(sum(t.percent_complete), 0), leaf_hours - coalesce(sum(t.estimate_hours), 0), leaf_earned - coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (NEW.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (NEW.parent_id)); END;
CREATE TRIGGER totals_task_added AFTER INSERT ON task BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count + coalesce(count(t.percent_complete), 0), leaf_percent + coalesce(sum(t.percent_complete), 0), leaf_hours + coalesce(sum(t.estimate_hours), 0), leaf_earned + coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (NEW.id, NEW.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (NEW.id, NEW.parent_id)); END;
CREATE TRIGGER totals_task_removing BEFORE DELETE ON task BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count - coalesce(count(t.percent_complete), 0), leaf_percent - coalesce(sum(t.percent_complete), 0), leaf_hours - coalesce(sum(t.estimate_hours), 0), leaf_earned - coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (OLD.id, OLD.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (OLD.id, OLD.parent_id)); END;
CREATE TRIGGER totals_task_removed AFTER DELETE ON task WHEN OLD.parent_id IS NOT NULL BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count + coalesce(count(t.percent_complete), 0), leaf_percent + coalesce(sum(t.percent_complete), 0), leaf_hours + coalesce(sum(t.estimate_hours), 0), leaf_earned + coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (OLD.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (OLD.parent_id)); END;
CREATE TRIGGER totals_task_changing BEFORE UPDATE OF id, project_id, parent_id, estimate_hours, percent_complete ON task WHEN OLD.id IS NOT NEW.id OR OLD.project_id IS NOT NEW.project_id OR OLD.parent_id IS NOT NEW.parent_id OR OLD.estimate_hours IS NOT NEW.estimate_hours OR OLD.percent_complete IS NOT NEW.percent_complete BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count - coalesce(count(t.percent_complete), 0), leaf_percent - coalesce(sum(t.percent_complete), 0), leaf_hours - coalesce(sum(t.estimate_hours), 0), leaf_earned - coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (OLD.id, OLD.parent_id, NEW.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (OLD.id, OLD.parent_id, NEW.parent_id)); END;
CREATE TRIGGER totals_task_changed AFTER UPDATE OF id, project_id, parent_id, estimate_hours, percent_complete ON task WHEN OLD.id IS NOT NEW.id OR OLD.project_id IS NOT NEW.project_id OR OLD.parent_id IS NOT NEW.parent_id OR OLD.estimate_hours IS NOT NEW.estimate_hours OR OLD.percent_complete IS NOT NEW.percent_complete BEGIN UPDATE projecttotals SET (leaf_count, leaf_percent, leaf_hours, leaf_earned) = (SELECT leaf_count + coalesce(count(t.percent_complete), 0), leaf_percent + coalesce(sum(t.percent_complete), 0), leaf_hours + coalesce(sum(t.estimate_hours), 0), leaf_earned + coalesce(sum(t.estimate_hours * t.percent_complete), 0) FROM task t WHERE t.project_id = projecttotals.project_id AND t.id IN (NEW.id, OLD.parent_id, NEW.parent_id) AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)) WHERE project_id IN (SELECT project_id FROM task WHERE id IN (NEW.id, OLD.parent_id, NEW.parent_id)); END;
CREATE TRIGGER totals_ledger_added AFTER INSERT ON ledgerentry BEGIN UPDATE projecttotals SET actual = actual + CASE WHEN NEW.kind = 'actual' THEN coalesce(NEW.amount, 0) ELSE 0 END, committed = committed + CASE WHEN NEW.kind = 'committed' THEN coalesce(NEW.amount, 0) ELSE 0 END WHERE project_id = NEW.project_id; END;
CREATE TRIGGER totals_ledger_removed AFTER DELETE ON ledgerentry BEGIN UPDATE projecttotals SET actual = actual - CASE WHEN OLD.kind = 'actual' THEN coalesce(OLD.amount, 0) ELSE 0 END, committed = committed - CASE WHEN OLD.kind = 'committed' THEN coalesce(OLD.amount, 0) ELSE 0 END WHERE project_id = OLD.project_id; END;
CREATE TRIGGER totals_ledger_changed AFTER UPDATE OF project_id, kind, amount ON ledgerentry WHEN OLD.project_id IS NOT NEW.project_id OR OLD.kind IS NOT NEW.kind OR OLD.amount IS NOT NEW.amount BEGIN UPDATE projecttotals SET actual = actual - CASE WHEN OLD.kind = 'actual' THEN coalesce(OLD.amount, 0) ELSE 0 END, committed = committed - CASE WHEN OLD.kind = 'committed' THEN coalesce(OLD.amount, 0) ELSE 0 END WHERE project_id = OLD.project_id; UPDATE projecttotals SET actual = actual + CASE WHEN NEW.kind = 'actual' THEN coalesce(NEW.amount, 0) ELSE 0 END, committed = committed + CASE WHEN NEW.kind = 'committed' THEN coalesce(NEW.amount, 0) ELSE 0 END WHERE project_id = NEW.project_id; END;
CREATE TRIGGER totals_budget_added AFTER INSERT ON budgetline BEGIN UPDATE projecttotals SET budget = budget + coalesce(NEW.amount, 0) WHERE project_id = NEW.project_id; END;
CREATE TRIGGER totals_budget_removed AFTER DELETE ON budgetline BEGIN UPDATE projecttotals SET budget = budget - coalesce(OLD.amount, 0) WHERE project_id = OLD.project_id; END;
CREATE TRIGGER totals_budget_changed AFTER UPDATE OF project_id, amount ON budgetline WHEN OLD.project_id IS NOT NEW.project_id OR OLD.amount IS NOT NEW.amount BEGIN UPDATE projecttotals SET budget = budget - coalesce(OLD.amount, 0) WHERE project_id = OLD.project_id; UPDATE projecttotals SET budget = budget + coalesce(NEW.amount, 0) WHERE project_id = NEW.project_id; END;
CREATE TABLE changecounter (
	id INTEGER NOT NULL, 
	value BIGINT NOT NULL, 
	CONSTRAINT pk_changecounter PRIMARY KEY (id)
);
CREATE INDEX ix_activity_change ON activity (change);
CREATE INDEX ix_taskschedule_open_finish ON taskschedule (finish, project_id, open_kind) WHERE open_kind > 0;
CREATE INDEX ix_communicationentry_stakeholder_logged ON communicationentry (stakeholder_id, logged_on);
CREATE INDEX ix_ledger_project_date_amount ON ledgerentry (project_id, entry_date, amount);
CREATE TABLE databaseidentity (
	id INTEGER NOT NULL, 
	uid VARCHAR NOT NULL, 
	CONSTRAINT pk_databaseidentity PRIMARY KEY (id)
);
CREATE TABLE publishedlink (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	person_id INTEGER, 
	project_id INTEGER, 
	token_hash VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	created_by VARCHAR NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_publishedlink PRIMARY KEY (id), 
	CONSTRAINT fk_publishedlink_person_id_person FOREIGN KEY(person_id) REFERENCES person (id) ON DELETE CASCADE, 
	CONSTRAINT fk_publishedlink_project_id_project FOREIGN KEY(project_id) REFERENCES project (id) ON DELETE CASCADE, 
	CONSTRAINT uq_publishedlink_token_hash UNIQUE (token_hash)
);
CREATE TRIGGER schedule_task_changed AFTER UPDATE OF id, project_id, parent_id, sort_order, wbs, name, is_milestone, status, percent_complete, planned_start, planned_finish, baseline_start, baseline_finish, actual_finish, is_manual, constraint_kind, constraint_date, is_elapsed, work_minutes, start_time ON task WHEN OLD.id IS NOT NEW.id OR OLD.project_id IS NOT NEW.project_id OR OLD.parent_id IS NOT NEW.parent_id OR OLD.sort_order IS NOT NEW.sort_order OR OLD.wbs IS NOT NEW.wbs OR OLD.name IS NOT NEW.name OR OLD.is_milestone IS NOT NEW.is_milestone OR OLD.status IS NOT NEW.status OR OLD.percent_complete IS NOT NEW.percent_complete OR OLD.planned_start IS NOT NEW.planned_start OR OLD.planned_finish IS NOT NEW.planned_finish OR OLD.baseline_start IS NOT NEW.baseline_start OR OLD.baseline_finish IS NOT NEW.baseline_finish OR OLD.actual_finish IS NOT NEW.actual_finish OR OLD.is_manual IS NOT NEW.is_manual OR OLD.constraint_kind IS NOT NEW.constraint_kind OR OLD.constraint_date IS NOT NEW.constraint_date OR OLD.is_elapsed IS NOT NEW.is_elapsed OR OLD.work_minutes IS NOT NEW.work_minutes OR OLD.start_time IS NOT NEW.start_time BEGIN UPDATE schedulestate SET inputs_revision = inputs_revision + 1 WHERE project_id IN (OLD.project_id, NEW.project_id); END;
INSERT INTO "alembic_version" VALUES ('0018');
INSERT INTO "changecounter" VALUES (1, 0);
COMMIT;
