import { PageHeader } from '../components/PageHeader.tsx';

export function RoutingPage() {
  return <PageHeader title="Routing" />;
}
