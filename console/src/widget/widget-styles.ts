/** @module The widget's styles, scoped by its shadow root so the host page's CSS neither leaks in nor out. */
export const widgetCss = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1b1e; }
* { box-sizing: border-box; }
.launcher { width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer; background: #228be6;
  color: #fff; box-shadow: 0 6px 20px rgba(0,0,0,.2); display: grid; place-items: center; margin-left: auto; }
.launcher svg { width: 26px; height: 26px; }
.panel { width: 340px; height: 480px; max-height: calc(100vh - 110px); background: #fff; border-radius: 14px;
  box-shadow: 0 12px 40px rgba(0,0,0,.22); display: flex; flex-direction: column; overflow: hidden;
  margin-bottom: 12px; }
.panel[hidden] { display: none; }
header { background: #228be6; color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 8px; }
header h2 { font-size: 15px; margin: 0; flex: 1; font-weight: 600; }
header p { margin: 0; font-size: 12px; opacity: .9; }
header button { background: none; border: 0; color: #fff; font-size: 20px; cursor: pointer; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; background: #f8f9fa; }
.msg { max-width: 80%; padding: 7px 11px; border-radius: 12px; white-space: pre-wrap; word-wrap: break-word; }
.msg.in { align-self: flex-end; background: #228be6; color: #fff; border-bottom-right-radius: 4px; }
.msg.out { align-self: flex-start; background: #fff; border: 1px solid #e9ecef; border-bottom-left-radius: 4px; }
.msg.failed { opacity: .6; cursor: pointer; }
.msg small { display: block; font-size: 11px; opacity: .8; }
.note { font-size: 12px; color: #495057; background: #fff3bf; padding: 8px 10px; border-radius: 8px; }
.typing { font-size: 12px; color: #868e96; padding: 0 12px 4px; min-height: 18px; background: #f8f9fa; }
form { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #e9ecef; }
form.stack { flex-direction: column; border: 0; padding: 0; }
input, textarea { flex: 1; font: inherit; padding: 8px 10px; border: 1px solid #ced4da; border-radius: 8px; }
button.primary { background: #228be6; color: #fff; border: 0; border-radius: 8px; padding: 8px 12px; cursor: pointer; font: inherit; }
button.ghost { background: none; border: 0; color: #495057; cursor: pointer; font: inherit; padding: 4px; }
.prechat { padding: 14px; display: flex; flex-direction: column; gap: 8px; }
button.primary[disabled] { opacity: .5; cursor: default; }
.csat { align-self: flex-start; width: 85%; background: #fff; border: 1px solid #e9ecef; border-radius: 12px;
  padding: 10px; display: flex; flex-direction: column; gap: 6px; }
.csat:empty { display: none; }
.csat p { margin: 0; }
.csat textarea { flex: none; resize: vertical; min-height: 44px; }
.stars { display: flex; gap: 2px; color: #ced4da; line-height: 0; }
button.star { background: none; border: 0; padding: 2px; cursor: pointer; color: #ced4da; border-radius: 6px; line-height: 0; }
button.star:hover { color: #ffd43b; }
button.star:focus-visible { outline: 2px solid #a5d8ff; }
.stars .on, button.star.on { color: #fab005; }
.csat-word { min-height: 16px; font-size: 12px; color: #495057; }
.csat-error { font-size: 12px; color: #c92a2a; }
.csat-error:empty { display: none; }
`;
