export default function Page() {
  return <h1>storefront</h1>;
}
