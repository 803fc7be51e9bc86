/**
 * Telling the agent a conversation started waiting: a short beep (WebAudio,
 * no sound file), a browser notification when allowed, and the count of
 * waiting conversations in the tab title — all three, since a desk in a
 * background tab is where peer desks lose chats.
 */
let audio: AudioContext | undefined;

/** Browsers only let a page make sound after a gesture: unlock the context on the first one. */
export function unlockSound(): void {
  const unlock = () => {
    try {
      audio ??= new AudioContext();
      void audio.resume();
    } catch { /* no WebAudio: no beep */ }
  };
  for (const ev of ['pointerdown', 'keydown']) addEventListener(ev, unlock, { once: true, capture: true });
}

export function beep(): void {
  if (!audio || audio.state !== 'running') return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = 'sine';
  osc.frequency.value = 880;
  const now = audio.currentTime;
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
  osc.connect(gain).connect(audio.destination);
  osc.start(now);
  osc.stop(now + 0.4);
}

export const canNotify = () => 'Notification' in window;
export const mayAskToNotify = () => canNotify() && Notification.permission === 'default';

export function askToNotify(): Promise<unknown> {
  return canNotify() ? Notification.requestPermission() : Promise.resolve();
}

export function notify(title: string, body: string, onClick: () => void): void {
  if (!canNotify() || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: 'kefu-desk-queue' });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch { /* some browsers allow notifications only from a service worker */ }
}

/** 「(2) kefu 客服工作台」 while two conversations wait. */
export function titleWith(base: string, waiting: number): void {
  document.title = waiting > 0 ? `(${waiting}) ${base}` : base;
}
