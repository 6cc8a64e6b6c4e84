/**
 * Browser notifications for watch matches: shown only where the person allowed them, never asked for except from
 * their own click on "Watch this search" (browsers ignore or punish asking otherwise).
 */

/** Asks for permission to notify, if the browser has notifications and nobody decided yet. */
export function requestNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => {});
}

/** Shows a notification when allowed; otherwise the page alone shows the match. */
export function notifyInBrowser(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag: `shoal-${title}` });
  } catch {
    // Some browsers only notify from a service worker; the page shows the match anyway.
  }
}
