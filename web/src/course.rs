//! The guided course's panel: the lesson shown, its example, its tasks
//! (the current one with its instruction and a hint), and the way to the
//! other lessons. The playground checks the current task after every
//! change (state.rs) and says when it is done.

use trustwalk_playground::course::{task_count, COURSE};
use yew::prelude::*;

use crate::explain::inline_code;
use crate::state::{Action, CourseAction, State};

pub fn course_panel(state: &State, dispatch: &UseReducerDispatcher<State>) -> Html {
    let Some(n) = state.course else { return Html::default() };
    let Some(lesson) = COURSE.get(n) else { return Html::default() };
    let progress = &state.course_progress;
    let current = progress.current(lesson);
    let act = |a: CourseAction| {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Course(a.clone())))
    };
    let on_example = state.result.as_ref().is_some_and(|r| lesson.works_on(r));
    html! {
        <section class="panel course" aria-labelledby="course-heading" data-testid="course">
            <div class="panel-head">
                <h2 id="course-heading" tabindex="-1">{ format!("Course: lesson {} of {}", n + 1, COURSE.len()) }</h2>
                <span class="muted" data-testid="course-progress">{ format!("{} of {} tasks done", progress.count(), task_count()) }</span>
                <button type="button" class="link" onclick={act(CourseAction::Close)} data-testid="course-close" aria-label="Close the course">{ "Close" }</button>
            </div>
            <h3 data-testid="course-lesson">{ lesson.title }</h3>
            <p>{ inline_code(lesson.intro) }</p>
            if !on_example {
                <p class="course-start-note">
                    { "The tasks work on this lesson's example. " }
                    <button type="button" class="primary" onclick={act(CourseAction::Start(n))} data-testid="course-start">{ "Open the example" }</button>
                </p>
            }
            <ol class="course-tasks">
                { for lesson.tasks.iter().enumerate().map(|(i, t)| {
                    let done = progress.is_done(lesson, t);
                    let state_name = if done { "done" } else if current == Some(i) { "current" } else { "todo" };
                    html! {
                        <li class={state_name} data-testid="course-task" data-state={state_name}>
                            <strong>{ if done { "✓ " } else { "" } }{ t.title }</strong>
                            if current == Some(i) {
                                <p data-testid="course-instruction">{ inline_code(t.instruction) }</p>
                                <details><summary>{ "Hint" }</summary><p>{ inline_code(t.hint) }</p></details>
                            }
                        </li>
                    }
                }) }
            </ol>
            if current.is_none() {
                <p class="course-done" data-testid="course-lesson-done">{ "Lesson done." }</p>
            }
            <div class="course-nav">
                <button type="button" disabled={n == 0} onclick={act(CourseAction::Open(n.saturating_sub(1)))} data-testid="course-previous">{ "← Previous lesson" }</button>
                <button type="button" disabled={n + 1 >= COURSE.len()} onclick={act(CourseAction::Open(n + 1))} data-testid="course-next">{ "Next lesson →" }</button>
                if progress.current(lesson) != Some(0) {
                    <button type="button" class="link" onclick={act(CourseAction::Reset(n))} data-testid="course-reset">{ "Do this lesson again" }</button>
                }
            </div>
        </section>
    }
}
