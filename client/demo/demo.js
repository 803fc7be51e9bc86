// Demo page only: buttons that open the chat (and optionally ask a question)
// through the widget's public API, window.kefu. The widget loads async, so it
// is looked up at click time.
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-kefu-open]') : null;
  if (!target || !window.kefu) return;
  window.kefu.open();
  const question = target.getAttribute('data-kefu-ask');
  if (question) window.kefu.send(question);
});
