/** Words of friendly default names: short, plain ASCII, unlikely to offend in any pairing. */
const ADJECTIVES = (
  'Quiet Curious Brave Gentle Swift Sunny Clever Calm Bright Merry Nimble Patient Cheerful Kind Bold Lucky Happy ' +
  'Eager Witty Mellow Playful Polite Jolly Tidy Cosy Dreamy Friendly Humble Lively Proud'
).split(' ');
const ANIMALS = (
  'Otter Fox Heron Badger Panda Koala Dolphin Falcon Lynx Owl Beaver Puffin Hedgehog Marmot Seal Wombat Tortoise ' +
  'Gecko Sparrow Walrus Robin Salmon Squirrel Pelican Raccoon Rabbit Starling Penguin Manatee Lemur'
).split(' ');

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A random friendly display name such as "Quiet Otter 42" (adjective, animal, two digits): 27,000 of them. */
export function randomDisplayName(random: () => number = Math.random): string {
  return `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)} ${10 + Math.floor(random() * 90)}`;
}
