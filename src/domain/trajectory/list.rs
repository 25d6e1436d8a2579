//! The starters list: status, progress, filters, sorting and one page of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{EmploymentId, PersonId, TeamId, search_key};

use super::EntryRoute;
use super::employment::school_year;
use super::milestones::MilestoneState;

/// Progress of a trajectory in numbers, for lists and the starter's phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgressCount {
    pub done: u32,
    pub skipped: u32,
    pub open: u32,
    pub overdue: u32,
}

impl ProgressCount {
    pub fn add(&mut self, state: MilestoneState) {
        match state {
            MilestoneState::Done => self.done += 1,
            MilestoneState::Skipped => self.skipped += 1,
            MilestoneState::Open => self.open += 1,
            MilestoneState::Overdue => self.overdue += 1,
        }
    }
    pub fn total(self) -> u32 {
        self.done + self.skipped + self.open + self.overdue
    }
    /// Whole percent finished (done or skipped); 0 for an empty trajectory.
    pub fn percent(self) -> u32 {
        ((self.done + self.skipped) * 100)
            .checked_div(self.total())
            .unwrap_or(0)
    }
}

/// Where a starter stands: still employed and in induction, finished the
/// induction (still employed), or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarterStatus {
    Active,
    Completed,
    Left,
}

impl StarterStatus {
    pub const ALL: [StarterStatus; 3] = [StarterStatus::Active, StarterStatus::Completed, StarterStatus::Left];

    /// Leaving outranks completing: one who completed and then left has left.
    pub fn of(ended: bool, completed: bool) -> StarterStatus {
        if ended {
            StarterStatus::Left
        } else if completed {
            StarterStatus::Completed
        } else {
            StarterStatus::Active
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            StarterStatus::Active => "active",
            StarterStatus::Completed => "completed",
            StarterStatus::Left => "left",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// How the starters list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StarterSort {
    #[default]
    Name,
    StartDate,
    Progress,
    Overdue,
}

impl StarterSort {
    pub const ALL: [StarterSort; 4] = [
        StarterSort::Name,
        StarterSort::StartDate,
        StarterSort::Progress,
        StarterSort::Overdue,
    ];
    pub fn code(self) -> &'static str {
        match self {
            StarterSort::Name => "name",
            StarterSort::StartDate => "start",
            StarterSort::Progress => "progress",
            StarterSort::Overdue => "overdue",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Filters of the starters list; all optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StarterFilter {
    pub team: Option<TeamId>,
    pub route: Option<EntryRoute>,
    pub status: Option<StarterStatus>,
    /// School year of the start (2026 = 2026/27).
    pub start_year: Option<i32>,
    pub in_partnership: Option<bool>,
    pub sort: StarterSort,
    /// 0-based page of `PAGE_SIZE` rows.
    pub page: u32,
}

impl StarterFilter {
    pub const PAGE_SIZE: usize = 25;

    /// The page shown out of `total` rows, and how many pages there are: the
    /// page asked for, or the last one when that is past the end.
    pub fn shown_page(&self, total: usize) -> (u32, u32) {
        let pages = u32::try_from(total.div_ceil(Self::PAGE_SIZE).max(1)).unwrap_or(u32::MAX);
        (self.page.min(pages - 1), pages)
    }
}

/// One row of the starters list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterListItem {
    pub employment: EmploymentId,
    pub person: PersonId,
    pub name: String,
    pub employee_number: String,
    pub route: EntryRoute,
    pub team: Option<TeamId>,
    pub team_name: Option<String>,
    pub start: NaiveDate,
    pub status: StarterStatus,
    pub progress: ProgressCount,
    pub in_partnership: bool,
}

/// A page of the starters list with what the filters can offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterPage {
    pub rows: Vec<StarterListItem>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    /// Teams the caller may filter on: (id, name).
    pub teams: Vec<(TeamId, String)>,
    /// School years that occur, newest first.
    pub start_years: Vec<i32>,
    /// People with the starter role and no employment yet, to enrol by hand
    /// (filled for coordinators only), by name.
    pub unenrolled: Vec<crate::domain::PersonRef>,
}

impl StarterPage {
    /// The page `filter` asks for out of every starter the caller may see
    /// (`visible`), with the teams they may filter on (sorted here by name)
    /// and the school years that occur among `visible`, newest first. A
    /// page past the end shows the last page.
    pub fn build(visible: Vec<StarterListItem>, teams: Vec<(TeamId, String)>, filter: &StarterFilter) -> StarterPage {
        let starts: Vec<NaiveDate> = visible.iter().map(|s| s.start).collect();

        // Each name's sort key is made once, not in every comparison: a
        // large institution's list sorts thousands of names.
        let mut rows: Vec<(String, StarterListItem)> = visible
            .into_iter()
            .filter(|s| filter.team.is_none_or(|t| s.team == Some(t)))
            .filter(|s| filter.route.is_none_or(|r| s.route == r))
            .filter(|s| filter.status.is_none_or(|st| s.status == st))
            .filter(|s| filter.start_year.is_none_or(|y| school_year(s.start) == y))
            .filter(|s| filter.in_partnership.is_none_or(|p| s.in_partnership == p))
            .map(|s| (search_key(&[&s.name]), s))
            .collect();
        match filter.sort {
            StarterSort::Name => rows.sort_by(|a, b| a.0.cmp(&b.0)),
            StarterSort::StartDate => rows.sort_by(|a, b| b.1.start.cmp(&a.1.start).then_with(|| a.0.cmp(&b.0))),
            StarterSort::Progress => rows.sort_by(|a, b| {
                a.1.progress
                    .percent()
                    .cmp(&b.1.progress.percent())
                    .then_with(|| a.0.cmp(&b.0))
            }),
            StarterSort::Overdue => rows.sort_by(|a, b| {
                b.1.progress
                    .overdue
                    .cmp(&a.1.progress.overdue)
                    .then_with(|| a.0.cmp(&b.0))
            }),
        }
        let total = rows.len();
        let (page, pages) = filter.shown_page(total);
        let rows = rows
            .into_iter()
            .skip(page as usize * StarterFilter::PAGE_SIZE)
            .take(StarterFilter::PAGE_SIZE)
            .map(|(_, row)| row)
            .collect();
        StarterPage::cut(rows, (total, page, pages), teams, starts)
    }

    /// A page the database cut: its rows, how many rows the filters keep,
    /// the page shown and the number of pages, the teams the caller may
    /// filter on (sorted here by name) and the start dates of every starter
    /// the caller may see.
    pub fn cut(
        rows: Vec<StarterListItem>,
        (total, page, pages): (usize, u32, u32),
        mut teams: Vec<(TeamId, String)>,
        start_dates: impl IntoIterator<Item = NaiveDate>,
    ) -> StarterPage {
        teams.sort_by(|a, b| a.1.cmp(&b.1));
        StarterPage {
            rows,
            total,
            page,
            pages,
            teams,
            start_years: Self::school_years(start_dates),
            unenrolled: Vec::new(),
        }
    }

    /// The school years of these start dates, each once, newest first.
    fn school_years(starts: impl IntoIterator<Item = NaiveDate>) -> Vec<i32> {
        let mut years: Vec<i32> = starts.into_iter().map(school_year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn starter(id: i64, name: &str, start: (i32, u32, u32), team: Option<i64>, done: u32) -> StarterListItem {
        StarterListItem {
            employment: EmploymentId(id),
            person: PersonId(id),
            name: name.to_owned(),
            employee_number: id.to_string(),
            route: EntryRoute::Regular,
            team: team.map(TeamId),
            team_name: None,
            start: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            status: StarterStatus::Active,
            progress: ProgressCount {
                done,
                open: 4 - done,
                ..Default::default()
            },
            in_partnership: id % 2 == 0,
        }
    }

    #[test]
    fn filters_sort_and_cut_one_page_without_a_database() {
        let visible = vec![
            starter(1, "Özlem Yıldız", (2026, 8, 24), Some(1), 1),
            starter(2, "Anna Bakker", (2025, 8, 25), Some(2), 3),
            starter(3, "bram de Vries", (2026, 9, 1), Some(1), 0),
        ];
        let teams = vec![(TeamId(2), "Zorg".to_owned()), (TeamId(1), "Techniek".to_owned())];

        // By name, ignoring case and accents; teams by name; years newest first.
        let all = StarterPage::build(visible.clone(), teams.clone(), &StarterFilter::default());
        let names: Vec<&str> = all.rows.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Anna Bakker", "bram de Vries", "Özlem Yıldız"]);
        assert_eq!(all.teams[0].1, "Techniek");
        assert_eq!(all.start_years, [2026, 2025]);
        assert_eq!((all.total, all.page, all.pages), (3, 0, 1));

        // A team and the newest start first.
        let filter = StarterFilter {
            team: Some(TeamId(1)),
            sort: StarterSort::StartDate,
            ..Default::default()
        };
        let team = StarterPage::build(visible.clone(), teams.clone(), &filter);
        let ids: Vec<i64> = team.rows.iter().map(|s| s.person.0).collect();
        assert_eq!(ids, [3, 1]);
        // The filters still offer every year the caller may see.
        assert_eq!(team.start_years, [2026, 2025]);

        // Least progress first; in a partnership only.
        let progress = StarterFilter {
            sort: StarterSort::Progress,
            ..Default::default()
        };
        let ids: Vec<i64> = StarterPage::build(visible.clone(), teams.clone(), &progress)
            .rows
            .iter()
            .map(|s| s.person.0)
            .collect();
        assert_eq!(ids, [3, 1, 2]);
        let partnership = StarterFilter {
            in_partnership: Some(true),
            ..Default::default()
        };
        assert_eq!(StarterPage::build(visible, teams, &partnership).total, 1);
    }

    #[test]
    fn a_page_past_the_end_shows_the_last_page() {
        let visible: Vec<StarterListItem> = (0..30)
            .map(|i| starter(i, &format!("Starter {i:02}"), (2026, 8, 24), None, 0))
            .collect();
        let filter = StarterFilter {
            page: 7,
            ..Default::default()
        };
        let page = StarterPage::build(visible, Vec::new(), &filter);
        assert_eq!((page.page, page.pages, page.total), (1, 2, 30));
        assert_eq!(page.rows.len(), 5);
        assert_eq!(page.rows[0].name, "Starter 25");
    }
}
