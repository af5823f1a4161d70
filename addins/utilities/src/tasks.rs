//! Tasks: a checklist kept in `\\fls0\@UTILS\00000.pce` like the
//! original's (events dated 0/0/0; the "repeat" field is the check mark).

use alloc::string::String;
use alloc::vec::Vec;

use prizm::ui;
use prizm::Calculator;

use crate::calendar::editor;
use crate::calendar::pce::{self, display_text, Event, TASKS};
use crate::calendar::store;
use crate::widgets::{self, category_color, ListEvent, ListScreen};

/// "N tasks, M active".
pub fn counts_text(tasks: &[Event]) -> String {
    let active = tasks.iter().filter(|task| !task.is_done()).count();
    let noun = if tasks.len() == 1 { "task" } else { "tasks" };
    alloc::format!("{} {noun}, {} active", tasks.len(), active)
}

fn save(calculator: &mut Calculator, tasks: &[Event]) -> bool {
    match store::write_day(TASKS, tasks) {
        Ok(()) => true,
        Err(error) => {
            ui::message_box(&mut calculator.display, "Tasks", &error.message());
            false
        }
    }
}

/// A new, empty task.
pub fn new_task() -> Event {
    Event {
        category: 1,
        start: TASKS,
        end: TASKS,
        ..Event::default()
    }
}

/// The task list.
pub fn run(calculator: &mut Calculator) {
    let mut tasks = match store::read_day(TASKS) {
        Ok(parsed) => parsed.events,
        Err(error) => {
            ui::message_box(&mut calculator.display, "Tasks", &alloc::format!("Cannot read the tasks: {error:?}"));
            return;
        }
    };
    let mut list = ListScreen::new(
        "Tasks",
        Vec::new(),
        [Some("Add"), Some("Edit"), Some("Check"), Some("Delete"), Some("Colour"), None],
    );
    list.empty = "No tasks: F1 adds one";
    loop {
        list.subtitle = counts_text(&tasks);
        let rows = tasks
            .iter()
            .map(|task| {
                let mark = if task.is_done() { "[x] " } else { "[ ] " };
                (alloc::format!("{mark}{}", display_text(&task.title)), Some(category_color(task.category)))
            })
            .collect();
        list.set_rows(rows);
        let event = list.next(&mut calculator.display);
        let (key, at) = match event {
            ListEvent::Back => return,
            ListEvent::Open(at) => {
                editor::view(calculator, &tasks[at]);
                continue;
            }
            ListEvent::Key(key, at) => (key, at),
        };
        let has = at < tasks.len();
        match widgets::fkey(key) {
            Some(0) => {
                if tasks.len() >= pce::MAX_DAY_EVENTS {
                    ui::message_box(&mut calculator.display, "Tasks", "At most 100 tasks (the file format's limit).");
                    continue;
                }
                if let Some(task) = editor::edit(calculator, &new_task(), true, "New task") {
                    tasks.push(task);
                    if !save(calculator, &tasks) {
                        tasks.pop();
                    } else {
                        list.state.select(tasks.len() - 1);
                    }
                }
            }
            Some(1) if has => {
                if let Some(task) = editor::edit(calculator, &tasks[at], true, "Edit task") {
                    let old = core::mem::replace(&mut tasks[at], task);
                    if !save(calculator, &tasks) {
                        tasks[at] = old;
                    }
                }
            }
            Some(2) if has => {
                tasks[at].repeat = u32::from(!tasks[at].is_done());
                if !save(calculator, &tasks) {
                    tasks[at].repeat = u32::from(!tasks[at].is_done());
                }
            }
            Some(3) if has && ui::confirm(&mut calculator.display, "Tasks", "Delete the selected task?") => {
                let old = tasks.remove(at);
                if !save(calculator, &tasks) {
                    tasks.insert(at, old);
                }
            }
            Some(4) if has => {
                let current = (tasks[at].category % 8) as usize;
                if let Some(category) = widgets::choose(&mut calculator.display, "Colour", &widgets::CATEGORY_NAMES, current) {
                    let old = tasks[at].category;
                    tasks[at].category = category as u32;
                    if !save(calculator, &tasks) {
                        tasks[at].category = old;
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_zero_and_some_tasks() {
        assert_eq!(counts_text(&[]), "0 tasks, 0 active");
        let mut done = new_task();
        done.repeat = 1;
        assert_eq!(counts_text(&[new_task(), done.clone(), new_task()]), "3 tasks, 2 active");
        assert_eq!(counts_text(&[done]), "1 task, 0 active");
    }
}
